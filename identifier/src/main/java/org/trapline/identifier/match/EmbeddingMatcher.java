package org.trapline.identifier.match;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.translate.TranslateException;

/**
 * Individuals told apart by an embedding network: a crop's embedding is compared by cosine similarity
 * with every individual's reference embeddings, and an individual scores as its most similar reference.
 */
public final class EmbeddingMatcher implements Matcher {

    private final String name;
    private final EmbeddingModel model;
    private final VectorIndex index;

    public EmbeddingMatcher(String name, EmbeddingModel model, VectorIndex index) {
        this.name = name;
        this.model = model;
        this.index = index;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void enrol(String individualId, BufferedImage crop) throws MatchException {
        index.add(individualId, embed(crop));
    }

    /** The crop's embedding, for storing with a reference. */
    public float[] embed(BufferedImage crop) throws MatchException {
        try {
            return model.embed(List.of(crop)).get(0);
        } catch (TranslateException e) {
            throw new MatchException("embedding failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Match> candidates(BufferedImage crop, int k) throws MatchException {
        // look further than k references: an individual with many references would otherwise crowd out others
        List<VectorIndex.Hit> hits = index.nearest(embed(crop), Math.max(k * 8, 32));
        Map<String, Float> best = new LinkedHashMap<>();
        for (VectorIndex.Hit hit : hits) {
            best.merge(hit.individualId(), hit.similarity(), Math::max);
        }
        List<Match> matches = new ArrayList<>();
        best.forEach((individual, score) -> matches.add(new Match(individual, score, name)));
        matches.sort((a, b) -> Float.compare(b.score(), a.score()));
        return matches.subList(0, Math.min(k, matches.size()));
    }
}
