package org.trapline.species.taxonomy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what each output of a classifier means: its {@link Label}s in output order, and the common
 * name of every taxon they name or lie under, which is what an answer rolled up to that taxon is called.
 *
 * <p>A taxon's common name is the one a mapping gives it explicitly (a {@code taxon;;} row); else, in a
 * SpeciesNet label file, the name of the label that names exactly that taxon ("lynx species"), since
 * SpeciesNet names its higher-rank labels for their taxon; else, when every label under it names exactly
 * it under one common name (the 118 dog breeds: "domestic dog"), that name; else its rank and scientific
 * name ("genus Lynx"): ImageNet's "gazelle", mapped to Bovidae, is no name for every bovid.
 */
public final class LabelMap {

    /** The shipped mapping of the 1000 ImageNet classes, for the stand-in classifier. */
    public static final String IMAGENET_MAPPING = "/org/trapline/species/taxonomy/imagenet-taxonomy.csv";

    private final String source;
    private final List<Label> labels;
    private final Map<Taxon, String> commonNames;
    private final Map<Taxon, String> explicitNames;
    private final Map<String, Taxon> byScientificName;

    /**
     * @param labelsNameTheirTaxon whether a label at a higher rank is named for its taxon (SpeciesNet's
     *                             "lynx species"), so that its name may stand for the taxon
     */
    LabelMap(String source, List<Label> labels, Map<Taxon, String> explicitNames, boolean labelsNameTheirTaxon) {
        this.source = source;
        this.labels = List.copyOf(labels);
        for (int i = 0; i < this.labels.size(); i++) {
            if (this.labels.get(i).index() != i) {
                throw new IllegalArgumentException(source + ": label " + i + " has index " + this.labels.get(i).index());
            }
        }
        Map<Taxon, Set<String>> exactNames = new LinkedHashMap<>();
        Set<Taxon> mixed = new HashSet<>();
        for (Label label : this.labels) {
            if (label.kind() != LabelKind.ANIMAL) {
                continue;
            }
            Taxon own = label.taxon();
            for (Rank rank : Rank.values()) {
                own.at(rank).ifPresent(taxon -> {
                    if (taxon.equals(own)) {
                        exactNames.computeIfAbsent(taxon, t -> new LinkedHashSet<>()).add(label.commonName());
                    } else {
                        exactNames.computeIfAbsent(taxon, t -> new LinkedHashSet<>());
                        mixed.add(taxon);
                    }
                });
            }
        }
        Map<Taxon, String> names = new HashMap<>();
        Map<String, Taxon> scientific = new HashMap<>();
        exactNames.forEach((taxon, exact) -> {
            String name = explicitNames.get(taxon);
            if (name == null) {
                boolean named = exact.size() == 1 && (labelsNameTheirTaxon || !mixed.contains(taxon));
                name = named ? exact.iterator().next() : fallbackName(taxon);
            }
            names.put(taxon, name);
            scientific.putIfAbsent(taxon.scientificName().toLowerCase(Locale.ROOT), taxon);
        });
        this.commonNames = Collections.unmodifiableMap(names);
        this.explicitNames = Map.copyOf(explicitNames);
        this.byScientificName = Collections.unmodifiableMap(scientific);
    }

    private static String fallbackName(Taxon taxon) {
        return taxon.rank() == Rank.KINGDOM ? "animal" : taxon.rank().key() + " " + taxon.scientificName();
    }

    /** A SpeciesNet label file: one label a line, {@code uuid;class;order;family;genus;species;common name}. */
    public static LabelMap speciesNet(Path file) throws IOException {
        return SpeciesNetLabelFile.parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * A plain label list (one class a line, as {@code imagenet-labels.txt}; the first comma-separated name
     * is the label) and a mapping of its classes to taxa in {@link LabelMappingFile}'s format.
     */
    public static LabelMap mapped(Path labelList, Path mapping) throws IOException {
        return LabelMappingFile.parse(Files.readAllLines(labelList, StandardCharsets.UTF_8),
                Files.readAllLines(mapping, StandardCharsets.UTF_8), mapping.toString());
    }

    /** ImageNet's label list with the mapping shipped in this module ({@value #IMAGENET_MAPPING}). */
    public static LabelMap imageNet(Path labelList) throws IOException {
        try (InputStream in = LabelMap.class.getResourceAsStream(IMAGENET_MAPPING)) {
            if (in == null) {
                throw new IOException("the shipped mapping " + IMAGENET_MAPPING + " is missing from the class path");
            }
            List<String> mapping = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            return LabelMappingFile.parse(Files.readAllLines(labelList, StandardCharsets.UTF_8), mapping,
                    "classpath:" + IMAGENET_MAPPING);
        }
    }

    /** Where the labels came from, for messages. */
    public String source() {
        return source;
    }

    public int size() {
        return labels.size();
    }

    public Label label(int index) {
        return labels.get(index);
    }

    public List<Label> labels() {
        return labels;
    }

    /** The common name of a taxon that a label names or lies under; its rank and name for any other. */
    public String commonName(Taxon taxon) {
        String name = commonNames.get(taxon);
        return name != null ? name : explicitNames.getOrDefault(taxon, fallbackName(taxon));
    }

    /** Every taxon a label names or lies under. */
    public Set<Taxon> taxa() {
        return commonNames.keySet();
    }

    /** The taxon of that scientific name ("Puma concolor", "Felidae") among {@link #taxa()}, any case. */
    public Optional<Taxon> find(String scientificName) {
        return Optional.ofNullable(byScientificName.get(scientificName.trim().toLowerCase(Locale.ROOT)));
    }

    /** The labels of one kind, in output order. */
    public List<Label> ofKind(LabelKind kind) {
        List<Label> selected = new ArrayList<>();
        for (Label label : labels) {
            if (label.kind() == kind) {
                selected.add(label);
            }
        }
        return selected;
    }
}
