package org.trapline.deploy.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;

/**
 * The strings of Java sources that look like configuration keys, found by parsing the sources (javac's parser;
 * nothing is compiled) and working out each string the code writes from its parts:
 *
 * <ul>
 * <li>a literal: {@code "detector.http.port"};</li>
 * <li>a {@code String} constant, where it is used (its declaration alone is no use of the key):
 *     {@code config.require(BOOTSTRAP_SERVERS)}, {@code config.withPrefix(PREFIX)}, also
 *     {@code TraplineConfig.REGISTRY_URL} from another file;</li>
 * <li>a concatenation, with {@code *} where the code puts a value it computes:
 *     {@code "identifier.species." + species + ".matchers"} is {@code identifier.species.*.matchers},
 *     {@code PREFIX + key} is {@code aggregator.age.*}, a literal prefix {@code "kafka."} is {@code kafka.*};</li>
 * <li>a key quoted in a message: {@code "configuration '" + PREFIX + SPECIES + species + DAY_RANGE + "' ..."}
 *     names {@code aggregator.rem.species.*.day.range.km}.</li>
 * </ul>
 *
 * <p>A constant the code only ever appends to a prefix ({@code SPECIES = "species."} in
 * {@code PREFIX + SPECIES + name}) is a part of a key, not one: its uses on their own ({@code rest.startsWith(SPECIES)})
 * are not keys. What the scan cannot see: a key put together at run time from values that are not constants
 * (local variables, parameters, {@code switch} results, the structure a settings class checks by hand while
 * iterating over {@code config.asMap()}); there it sees the prefix only, when the prefix is a literal or a constant.
 */
final class SourceKeys {

    /**
     * One place the code writes a key.
     *
     * @param key  the key, {@code *} where the code puts a name it computes; a prefix ends in {@code .*}; a key
     *             that starts with {@code *} ({@code *.http.port}, where the code appends to a prefix it is
     *             given) is one only where it is {@code read}
     * @param file the source file, relative to the project's root
     * @param line its line
     * @param read whether it is handed to the configuration there: to a method of the configuration
     *             ({@code config.getInt(key, 5)}, {@code config.withPrefix(prefix)}) or to a method that is given
     *             the configuration too ({@code Periods.period(config, key)})
     */
    record Use(String key, String file, int line, boolean read) {

        String where() {
            return file + ":" + line;
        }

        /** The first segment: {@code detector} of {@code detector.http.port}, {@code *} of {@code *.http.port}. */
        String namespace() {
            return key.substring(0, key.indexOf('.'));
        }
    }

    /** TraplineConfig's methods that read a key (their first argument). */
    private static final Set<String> READS = Set.of("get", "getInt", "getLong", "getDouble", "getBoolean", "find",
            "require", "withPrefix");
    /** Setting's factories, whose first argument is the key they declare. */
    private static final Set<String> DECLARATIONS = Set.of("text", "integer", "longInteger", "decimal", "flag", "duration");
    private static final Pattern CONFIGURATION = Pattern.compile("(?i)(.*\\.)?\\w*config");
    /** A key: lower-case segments joined by dots, {@code *} where a name is computed; at least one dot. */
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9-]*(?:\\.[a-z0-9*-]+)+\\.?|[a-z][a-z0-9-]*\\.");
    /**
     * A key whose start the code computes ({@code prefix + ".http.port"}): a key only where it is handed to the
     * configuration, elsewhere it is as likely a file's name ({@code id + ".json"}).
     */
    private static final Pattern RELATIVE_KEY = Pattern.compile("\\*(?:\\.[a-z0-9*-]+)+");
    private static final Pattern WORDS = Pattern.compile("[\\s'\"`(),;:=<>{}\\[\\]|!?]+");
    private static final Object HOLE = new Object();

    private final Path root;
    private final Set<String> literals = new TreeSet<>();
    private final List<Use> uses = new ArrayList<>();

    /** String constants by class (simple name), and those of each file. */
    private final Map<String, Map<String, Constant>> constantsByClass = new HashMap<>();
    private final Map<CompilationUnitTree, Map<String, Constant>> constantsByUnit = new IdentityHashMap<>();
    private final Set<Constant> fragments = Collections.newSetFromMap(new IdentityHashMap<>());

    private record Constant(String name, ExpressionTree value, CompilationUnitTree unit) {
    }

    private record Candidate(ExpressionTree tree, CompilationUnitTree unit, int line, boolean read, boolean standalone) {
    }

    private SourceKeys(Path root) {
        this.root = root;
    }

    /** The keys in these files (of the project under {@code root}). */
    static SourceKeys scan(Path root, List<Path> files) {
        SourceKeys scan = new SourceKeys(root);
        scan.parse(files);
        return scan;
    }

    /** Every string literal's value, wherever it stands (a key, a prefix, a message, a file's name). */
    Set<String> literals() {
        return Collections.unmodifiableSet(literals);
    }

    /** Every place the code writes something shaped like a key, in the order of the files. */
    List<Use> uses() {
        return Collections.unmodifiableList(uses);
    }

    private void parse(List<Path> files) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in this runtime (" + System.getProperty("java.home")
                    + "): the tests that read the sources need a JDK");
        }
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            JavacTask task = (JavacTask) javac.getTask(null, fileManager, diagnostic -> { }, List.of("-proc:none"), null,
                    fileManager.getJavaFileObjectsFromPaths(files));
            List<CompilationUnitTree> units = new ArrayList<>();
            task.parse().forEach(units::add);
            SourcePositions positions = Trees.instance(task).getSourcePositions();
            units.forEach(this::collectConstants);
            List<Candidate> candidates = new ArrayList<>();
            for (CompilationUnitTree unit : units) {
                new Collector(unit, positions, candidates).scan(unit, null);
            }
            // concatenations first: they tell which constants are only parts of keys
            for (Candidate c : candidates) {
                if (!c.standalone()) {
                    add(c, render(evaluate(c.tree(), c.unit(), new HashSet<>(), true)));
                }
            }
            for (Candidate c : candidates) {
                if (c.standalone() && !fragments.contains(constant(c.tree(), c.unit()))) {
                    add(c, render(evaluate(c.tree(), c.unit(), new HashSet<>(), false)));
                }
            }
            uses.sort(java.util.Comparator.comparing(Use::file).thenComparingInt(Use::line));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void collectConstants(CompilationUnitTree unit) {
        Map<String, Constant> own = new HashMap<>();
        new TreePathScanner<Void, Void>() {
            @Override
            public Void visitClass(ClassTree node, Void unused) {
                Map<String, Constant> ofClass = constantsByClass.computeIfAbsent(node.getSimpleName().toString(), k -> new HashMap<>());
                for (Tree member : node.getMembers()) {
                    if (member instanceof VariableTree field && field.getInitializer() != null
                            && field.getType().toString().equals("String")) {
                        Constant constant = new Constant(field.getName().toString(), field.getInitializer(), unit);
                        ofClass.put(constant.name(), constant);
                        own.putIfAbsent(constant.name(), constant);
                    }
                }
                return super.visitClass(node, unused);
            }
        }.scan(unit, null);
        constantsByUnit.put(unit, own);
    }

    /** The constant this expression names: {@code PREFIX} of this file, {@code TraplineConfig.REGISTRY_URL}. */
    private Constant constant(ExpressionTree tree, CompilationUnitTree unit) {
        if (tree instanceof IdentifierTree id) {
            return constantsByUnit.get(unit).get(id.getName().toString());
        }
        if (tree instanceof MemberSelectTree select) {
            ExpressionTree owner = select.getExpression();
            String ownerName = owner instanceof IdentifierTree id ? id.getName().toString()
                    : owner instanceof MemberSelectTree m ? m.getIdentifier().toString() : null;
            Map<String, Constant> ofClass = ownerName == null ? null : constantsByClass.get(ownerName);
            return ofClass == null ? null : ofClass.get(select.getIdentifier().toString());
        }
        return null;
    }

    /** The expression as text and holes ({@link #HOLE}); marks constants appended to a prefix as fragments. */
    private List<Object> evaluate(ExpressionTree tree, CompilationUnitTree unit, Set<Constant> seen, boolean markFragments) {
        List<Object> parts = new ArrayList<>();
        for (ExpressionTree operand : operands(tree)) {
            if (operand instanceof LiteralTree literal && literal.getValue() instanceof String s) {
                parts.add(s);
            } else if (operand instanceof LiteralTree literal && literal.getValue() instanceof Character ch) {
                parts.add(String.valueOf(ch));
            } else {
                Constant constant = constant(operand, unit);
                if (constant != null && seen.add(constant)) {
                    if (markFragments && render(parts).endsWith(".")) {
                        fragments.add(constant);
                    }
                    parts.addAll(evaluate(constant.value(), constant.unit(), seen, markFragments));
                    seen.remove(constant);
                } else {
                    parts.add(HOLE);
                }
            }
        }
        return parts;
    }

    /** The operands of a string concatenation ({@code a + (b + c)}: a, b, c), or the expression itself. */
    private static List<ExpressionTree> operands(ExpressionTree tree) {
        ExpressionTree t = unwrap(tree);
        if (t instanceof BinaryTree plus && t.getKind() == Tree.Kind.PLUS) {
            List<ExpressionTree> all = new ArrayList<>(operands(plus.getLeftOperand()));
            all.addAll(operands(plus.getRightOperand()));
            return all;
        }
        return List.of(t);
    }

    private static ExpressionTree unwrap(ExpressionTree tree) {
        while (tree instanceof ParenthesizedTree p) {
            tree = p.getExpression();
        }
        return tree;
    }

    private static String render(List<Object> parts) {
        StringBuilder text = new StringBuilder();
        for (Object part : parts) {
            String s = part == HOLE ? "*" : (String) part;
            if (s.startsWith("*") && text.toString().endsWith("*")) {
                s = s.substring(1);
            }
            text.append(s);
        }
        return text.toString();
    }

    /** The keys the text is or quotes; a prefix ({@code kafka.}) as {@code kafka.*}. */
    private void add(Candidate c, String text) {
        Set<String> keys = new LinkedHashSet<>();
        if (KEY.matcher(text).matches() || (c.read() && RELATIVE_KEY.matcher(text).matches())) {
            keys.add(text);
        } else {
            String[] words = WORDS.split(text, -1);
            for (int i = 0; i < words.length; i++) {
                String word = words[i];
                // a sentence's full stop is no prefix ("... is ingest.catalog.file." or "... file. Set"), but
                // "under aggregator.rem. are" names one
                String next = i + 1 < words.length ? words[i + 1] : "";
                if (word.endsWith(".") && (next.isEmpty() || Character.isUpperCase(next.charAt(0)))) {
                    word = word.substring(0, word.length() - 1);
                }
                if (KEY.matcher(word).matches()) {
                    keys.add(word);
                }
            }
        }
        for (String key : keys) {
            uses.add(new Use(key.endsWith(".") ? key + "*" : key, root.relativize(Path.of(c.unit().getSourceFile().toUri())).toString(),
                    c.line(), c.read()));
        }
    }

    /** Finds the strings of one file: concatenations, literals and constants not in a concatenation. */
    private final class Collector extends TreePathScanner<Void, Void> {
        private final CompilationUnitTree unit;
        private final SourcePositions positions;
        private final List<Candidate> candidates;
        private final Set<Tree> read = Collections.newSetFromMap(new IdentityHashMap<>());

        Collector(CompilationUnitTree unit, SourcePositions positions, List<Candidate> candidates) {
            this.unit = unit;
            this.positions = positions;
            this.candidates = candidates;
        }

        @Override
        public Void visitImport(ImportTree node, Void unused) {
            return null;
        }

        @Override
        public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
            ExpressionTree select = node.getMethodSelect();
            String name = select instanceof MemberSelectTree m ? m.getIdentifier().toString()
                    : select instanceof IdentifierTree id ? id.getName().toString() : "";
            ExpressionTree receiver = select instanceof MemberSelectTree m ? m.getExpression() : null;
            List<? extends ExpressionTree> args = node.getArguments();
            if (READS.contains(name) && !args.isEmpty()
                    && (receiver == null || CONFIGURATION.matcher(receiver.toString()).matches())) {
                read.add(unwrap(args.get(0)));
            }
            // a key declared once (Setting.integer("aggregator.stream.threads", 1, …)) is read through its declaration
            if (DECLARATIONS.contains(name) && !args.isEmpty() && receiver != null && receiver.toString().equals("Setting")) {
                read.add(unwrap(args.get(0)));
            }
            if (args.stream().anyMatch(a -> CONFIGURATION.matcher(unwrap(a).toString()).matches())) {
                args.forEach(a -> read.add(unwrap(a)));
            }
            return super.visitMethodInvocation(node, unused);
        }

        @Override
        public Void visitBinary(BinaryTree node, Void unused) {
            if (node.getKind() == Tree.Kind.PLUS && !inConcatenation(getCurrentPath())) {
                candidate(node, false);
            }
            return super.visitBinary(node, unused);
        }

        @Override
        public Void visitLiteral(LiteralTree node, Void unused) {
            if (node.getValue() instanceof String value) {
                literals.add(value);
                if (!inConcatenation(getCurrentPath())) {
                    candidate(node, false);
                }
            }
            return null;
        }

        @Override
        public Void visitIdentifier(IdentifierTree node, Void unused) {
            standaloneConstant(node);
            return null;
        }

        @Override
        public Void visitMemberSelect(MemberSelectTree node, Void unused) {
            if (!standaloneConstant(node)) {
                return super.visitMemberSelect(node, unused);
            }
            return null;
        }

        /** A constant used on its own (not in a concatenation, not as {@code PREFIX.length()}). */
        private boolean standaloneConstant(ExpressionTree node) {
            if (constant(node, unit) == null) {
                return false;
            }
            TreePath path = getCurrentPath();
            Tree parent = path.getParentPath().getLeaf();
            if (parent instanceof MemberSelectTree owner && owner.getExpression() == node) {
                return true;
            }
            if (!inConcatenation(path)) {
                candidate(node, true);
            }
            return true;
        }

        private void candidate(ExpressionTree node, boolean standalone) {
            if (constantDeclaration(getCurrentPath())) {
                return;
            }
            int line = (int) unit.getLineMap().getLineNumber(positions.getStartPosition(unit, node));
            candidates.add(new Candidate(node, unit, line, read.contains(node), standalone));
        }

        /** Whether the expression at this path is an operand of a string concatenation. */
        private static boolean inConcatenation(TreePath path) {
            TreePath parent = path.getParentPath();
            while (parent != null && parent.getLeaf() instanceof ParenthesizedTree) {
                parent = parent.getParentPath();
            }
            return parent != null && parent.getLeaf().getKind() == Tree.Kind.PLUS;
        }

        /** Whether the expression at this path is a String constant's value (its uses count, not it). */
        private static boolean constantDeclaration(TreePath path) {
            Tree parent = path.getParentPath().getLeaf();
            return parent instanceof VariableTree v && v.getType() != null && v.getType().toString().equals("String")
                    && path.getParentPath().getParentPath().getLeaf() instanceof ClassTree;
        }
    }
}
