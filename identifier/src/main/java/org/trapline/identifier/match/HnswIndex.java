package org.trapline.identifier.match;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.codecs.lucene103.Lucene103Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;

/**
 * Approximate nearest neighbours that stay fast as a gallery grows to millions of references: Lucene's
 * HNSW graph over unit vectors, dot product (which is cosine for them). Held in memory: the gallery is
 * rebuilt from its compacted topic on start. Measured against {@link ExactIndex} for recall and speed.
 */
public final class HnswIndex implements VectorIndex, AutoCloseable {

    private static final String VECTOR = "vector";
    private static final String INDIVIDUAL = "individual";
    private static final String REFERENCE = "reference";

    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final IndexWriter writer;
    private final int searchBreadth;
    private DirectoryReader reader;
    private int size;

    /**
     * @param maxConnections HNSW's M and {@code beamWidth} its construction beam (Lucene's defaults: 16, 100);
     * @param searchBreadth  candidates a search gathers before keeping the best k (more: better recall, slower)
     */
    public HnswIndex(int maxConnections, int beamWidth, int searchBreadth) {
        this.searchBreadth = searchBreadth;
        try {
            KnnVectorsFormat format = new WideHnswFormat(new Lucene99HnswVectorsFormat(maxConnections, beamWidth));
            IndexWriterConfig config = new IndexWriterConfig()
                    .setCodec(new Lucene103Codec() {
                        @Override
                        public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                            return format;
                        }
                    })
                    .setRAMBufferSizeMB(1024);
            this.writer = new IndexWriter(directory, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HnswIndex() {
        this(16, 100, 100);
    }

    /**
     * Lucene's HNSW format, allowing embeddings wider than its default limit of 1024 dimensions
     * (MobileNetV2's features are 1280, MegaDescriptor's 1536). The data on disk is the standard format's,
     * under its name, so readers find it as usual.
     */
    private static final class WideHnswFormat extends KnnVectorsFormat {

        static final int MAX_DIMENSIONS = 4096;
        private final KnnVectorsFormat delegate;

        WideHnswFormat(KnnVectorsFormat delegate) {
            super(delegate.getName());
            this.delegate = delegate;
        }

        @Override
        public org.apache.lucene.codecs.KnnVectorsWriter fieldsWriter(org.apache.lucene.index.SegmentWriteState state)
                throws IOException {
            return delegate.fieldsWriter(state);
        }

        @Override
        public org.apache.lucene.codecs.KnnVectorsReader fieldsReader(org.apache.lucene.index.SegmentReadState state)
                throws IOException {
            return delegate.fieldsReader(state);
        }

        @Override
        public int getMaxDimensions(String fieldName) {
            return MAX_DIMENSIONS;
        }
    }

    @Override
    public synchronized void add(String individualId, float[] unitVector) {
        Document document = new Document();
        document.add(new KnnFloatVectorField(VECTOR, unitVector, VectorSimilarityFunction.DOT_PRODUCT));
        document.add(new StoredField(INDIVIDUAL, individualId));
        document.add(new StoredField(REFERENCE, size));
        try {
            writer.addDocument(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        size++;
    }

    /** Makes everything added so far searchable (done by a search when needed; call it to keep it off a query). */
    public synchronized void refresh() {
        try {
            if (reader == null) {
                reader = DirectoryReader.open(writer);
            } else {
                DirectoryReader newer = DirectoryReader.openIfChanged(reader, writer);
                if (newer != null) {
                    reader.close();
                    reader = newer;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<Hit> nearest(float[] unitVector, int k) {
        DirectoryReader current;
        synchronized (this) {
            refresh();
            current = reader;
        }
        try {
            IndexSearcher searcher = new IndexSearcher(current);
            TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR, unitVector, Math.max(k, searchBreadth)), k);
            List<Hit> hits = new ArrayList<>();
            var stored = searcher.storedFields();
            for (ScoreDoc doc : top.scoreDocs) {
                Document document = stored.document(doc.doc);
                // Lucene scores a dot product d as (1 + d) / 2
                hits.add(new Hit(document.get(INDIVIDUAL), document.getField(REFERENCE).numericValue().intValue(),
                        2 * doc.score - 1));
            }
            return hits;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized int size() {
        return size;
    }

    @Override
    public synchronized void close() {
        try {
            if (reader != null) {
                reader.close();
            }
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
