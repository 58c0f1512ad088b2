package org.trapline.identifier.match;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.djl.translate.TranslateException;

/**
 * Individuals told apart by an embedding network: a crop's embedding is compared by cosine similarity
 * with every reference embedding, and a key scores as its most similar reference. Embeddings are stored
 * with the references, so a restart rebuilds the index without running the network again.
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
    public Probe probe(BufferedImage crop) throws MatchException {
        float[] embedding = embed(crop);
        return new Probe() {
            @Override
            public List<Match> candidates(int k) {
                return nearest(embedding, k);
            }

            @Override
            public void enrol(String key) {
                index.add(key, embedding);
            }

            @Override
            public Optional<float[]> storable() {
                return Optional.of(embedding);
            }
        };
    }

    @Override
    public boolean enrolStored(String key, float[] features) {
        index.add(key, features);
        return true;
    }

    /** The crop's embedding, a unit vector. */
    public float[] embed(BufferedImage crop) throws MatchException {
        try {
            return model.embed(List.of(crop)).get(0);
        } catch (TranslateException e) {
            throw new MatchException("embedding failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MatchException("interrupted while waiting for the embedding network", e);
        }
    }

    private List<Match> nearest(float[] embedding, int k) {
        // look further than k references: a key with many references would otherwise crowd out others
        List<VectorIndex.Hit> hits = index.nearest(embedding, Math.max(k * 8, 32));
        Map<String, Float> best = new LinkedHashMap<>();
        for (VectorIndex.Hit hit : hits) {
            best.merge(hit.individualId(), hit.similarity(), Math::max);
        }
        List<Match> matches = new ArrayList<>();
        best.forEach((key, score) -> matches.add(new Match(key, score, name)));
        matches.sort((a, b) -> Float.compare(b.score(), a.score()));
        return matches.subList(0, Math.min(k, matches.size()));
    }
}
