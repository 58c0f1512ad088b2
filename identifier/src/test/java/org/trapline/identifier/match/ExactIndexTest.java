package org.trapline.identifier.match;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class ExactIndexTest {

    static float[] unit(float... v) {
        return EmbeddingModel.EmbeddingTranslator.unit(v.clone());
    }

    @Test
    void theNearestComeFirstAndOnlyKOfThem() {
        ExactIndex index = new ExactIndex();
        index.add("april", unit(1, 0, 0));
        index.add("candy", unit(0, 1, 0));
        index.add("jel", unit(1, 1, 0));
        index.add("valentine", unit(0, 0, 1));
        List<VectorIndex.Hit> hits = index.nearest(unit(1, 0.1f, 0), 2);
        assertEquals(List.of("april", "jel"), hits.stream().map(VectorIndex.Hit::individualId).toList());
        assertEquals(1.0, hits.get(0).similarity(), 0.01);
        assertEquals(4, index.size());
        assertEquals(4, index.nearest(unit(0, 0, 1), 10).size(), "k larger than the index: all of it");
    }
}
