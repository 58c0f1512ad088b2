package org.trapline.identifier.match;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.trapline.identifier.IdentifierSettings;

/**
 * Makes the matchers a species is identified with, as the settings name them, each empty and with an index of
 * its own: species are never compared. Holds the embedding network, loaded once when any species uses it.
 */
public final class SpeciesMatchers implements Function<String, List<Matcher>>, AutoCloseable {

    private final IdentifierSettings settings;
    /** Null when no species is matched by embedding. */
    private final EmbeddingModel embeddingModel;

    private SpeciesMatchers(IdentifierSettings settings, EmbeddingModel embeddingModel) {
        this.settings = settings;
        this.embeddingModel = embeddingModel;
    }

    public static SpeciesMatchers load(IdentifierSettings settings) throws IOException {
        return new SpeciesMatchers(settings, settings.usesEmbedding() ? EmbeddingModel.load(settings.embedding()) : null);
    }

    @Override
    public List<Matcher> apply(String species) {
        List<Matcher> matchers = new ArrayList<>();
        for (String name : settings.matchersFor(species)) {
            matchers.add(switch (name) {
                case IdentifierSettings.EMBEDDING -> new EmbeddingMatcher(name, embeddingModel,
                        settings.index().equals("exact") ? new ExactIndex() : new HnswIndex());
                case IdentifierSettings.LOCAL_FEATURES -> new LocalFeatureMatcher(settings.localFeatures());
                default -> throw new IllegalArgumentException("unknown matcher " + name);
            });
        }
        return matchers;
    }

    @Override
    public void close() {
        if (embeddingModel != null) {
            embeddingModel.close();
        }
    }
}
