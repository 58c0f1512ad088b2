package org.trapline.species.rollup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.trapline.species.taxonomy.LabelMap;
import org.trapline.species.taxonomy.Taxon;

/**
 * Decides which taxa are known at a place (a site or a country): the geofence. A taxon is known when it
 * is listed, lies under a listed taxon ("Felidae" allows every cat), or has a listed taxon under it
 * (a listed "Puma concolor" makes Puma, Felidae, Carnivora and Mammalia known there too, so that a
 * rollup may name them).
 *
 * <p>Entries are scientific names at any rank ("Puma concolor", "Canis", "Cervidae"), resolved against
 * the classifier's labels, or SpeciesNet taxonomy strings ("mammalia;carnivora;felidae;puma;concolor").
 * A name the classifier has no label for cannot be predicted anyway and is kept only for messages.
 */
public final class AllowList {

    private final Set<Taxon> taxa;
    private final List<String> unresolved;

    public AllowList(Set<Taxon> taxa, List<String> unresolved) {
        this.taxa = Set.copyOf(taxa);
        this.unresolved = List.copyOf(unresolved);
    }

    /**
     * The entries of a list, one a line or separated by commas, {@code #} starting a comment; a
     * comma-free line with {@code ;} is a taxonomy string.
     */
    public static AllowList parse(List<String> lines, LabelMap labels) {
        Set<Taxon> taxa = new LinkedHashSet<>();
        List<String> unresolved = new ArrayList<>();
        for (String line : lines) {
            String content = line.replaceFirst("#.*", "").strip();
            if (content.isEmpty()) {
                continue;
            }
            List<String> entries = content.contains(";") ? List.of(content) : Arrays.asList(content.split(","));
            for (String entry : entries) {
                String name = entry.strip();
                if (name.isEmpty()) {
                    continue;
                }
                if (name.contains(";")) {
                    String[] f = name.split(";", -1);
                    if (f.length != 5) {
                        throw new IllegalArgumentException("allow-list entry '" + name
                                + "' is not a taxonomy string class;order;family;genus;species");
                    }
                    taxa.add(Taxon.of(f[0], f[1], f[2], f[3], f[4]));
                } else {
                    labels.find(name).ifPresentOrElse(taxa::add, () -> unresolved.add(name));
                }
            }
        }
        return new AllowList(taxa, unresolved);
    }

    /** A list given inline in configuration ("Puma concolor, Lynx rufus") or, if it names a file, that file. */
    public static AllowList fromSetting(String setting, LabelMap labels) throws IOException {
        Path file = Path.of(setting.strip());
        if (!setting.contains(",") && Files.isRegularFile(file)) {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), labels);
        }
        return parse(List.of(setting), labels);
    }

    /** Whether {@code taxon} is known here. */
    public boolean knows(Taxon taxon) {
        for (Taxon listed : taxa) {
            if (listed.compatibleWith(taxon)) {
                return true;
            }
        }
        return false;
    }

    public Set<Taxon> taxa() {
        return taxa;
    }

    /** Listed names the classifier has no label for. */
    public List<String> unresolved() {
        return unresolved;
    }
}
