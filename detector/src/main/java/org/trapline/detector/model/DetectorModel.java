package org.trapline.detector.model;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.trapline.inference.onnx.OnnxSessions;
import org.trapline.inference.onnx.OnnxThreading;

/**
 * A detection network loaded through DJL's ONNX Runtime engine from a local file by {@link OnnxSessions}
 * (nothing is downloaded), with a pool of predictors so that several inference threads can run at once.
 *
 * <p>Work on an image comes in two steps so that a service can run them on different threads:
 * {@link #prepare} (decoding and the letterbox: the costly part of pre-processing) and
 * {@link #detectPrepared} (the planes written into the predictor's own input buffer, the network, the
 * decoding of its output). {@link #detect} does both on the calling thread.
 */
public final class DetectorModel implements AutoCloseable {

    /**
     * What to load and how to read it.
     *
     * @param minScore  the lowest confidence worth decoding (the smallest of the category thresholds)
     * @param threading predictors (one per inference thread), ONNX Runtime's threads inside one inference,
     *                  and whether they spin while idle (see {@link OnnxSessions} for why they do not)
     */
    public record Settings(Path modelPath, ModelFamily family, int inputSize, LabelMap labels, float minScore,
                           float nmsIou, OnnxThreading threading, String name, String version) {

        /** Predictors, one per inference thread. */
        public int threads() {
            return threading.inferenceThreads();
        }

        /** Threads ONNX Runtime uses inside one inference. */
        public int intraOpThreads() {
            return threading.intraOpThreads();
        }

        /** Whether ONNX Runtime's threads spin while idle instead of sleeping. */
        public boolean spinning() {
            return threading.spinning();
        }
    }

    /**
     * A predictor with the input buffer it alone writes into: ONNX Runtime reads a direct buffer in place,
     * where a heap array would be copied into a freshly allocated (and zeroed) one on every call.
     */
    private static final class Slot {
        final Predictor<DetectionTranslator.Batch, List<List<Box>>> predictor;
        FloatBuffer input;

        Slot(Predictor<DetectionTranslator.Batch, List<List<Box>>> predictor) {
            this.predictor = predictor;
        }
    }

    private final Settings settings;
    private final Model model;
    private final DetectionTranslator translator;
    private final int batchLimit;
    private final BlockingQueue<Slot> slots;

    private DetectorModel(Settings settings, Model model, int batchLimit) {
        this.settings = settings;
        this.model = model;
        this.batchLimit = batchLimit;
        this.translator = new DetectionTranslator(settings.family(), settings.inputSize(), settings.labels(),
                settings.minScore(), settings.nmsIou());
        this.slots = new ArrayBlockingQueue<>(settings.threads());
        for (int i = 0; i < settings.threads(); i++) {
            slots.add(new Slot(model.newPredictor(translator)));
        }
    }

    public static DetectorModel load(Settings settings) throws IOException {
        Model model = null;
        try {
            // the session beside the model, so that the input's batch dimension can be read
            OnnxSessions.Network network = OnnxSessions.open(settings.modelPath(), settings.name(), settings.threading());
            model = network.model();
            return new DetectorModel(settings, model, batchLimit(network.session()));
        } catch (OrtException | RuntimeException e) {
            if (model != null) {
                model.close();
            }
            throw new IOException("cannot load the detector model " + settings.modelPath() + ": " + e.getMessage(), e);
        }
    }

    /** How many images one call may take: the input's batch dimension when fixed, else no limit. */
    private static int batchLimit(OrtSession session) throws OrtException {
        if (session.getInputInfo().size() != 1) {
            throw new IllegalArgumentException("a detection network has one input, this one has " + session.getInputNames());
        }
        NodeInfo input = session.getInputInfo().values().iterator().next();
        if (!(input.getInfo() instanceof TensorInfo tensor) || tensor.getShape().length != 4) {
            throw new IllegalArgumentException("the input " + input.getName() + " is not an image tensor [N, 3, H, W]: " + input.getInfo());
        }
        long batch = tensor.getShape()[0];
        return batch <= 0 ? Integer.MAX_VALUE : Math.toIntExact(batch);
    }

    public Settings settings() {
        return settings;
    }

    /**
     * The most images one inference call may take: the network's batch dimension when it is fixed (the
     * shipped YOLOX's is 1), {@link Integer#MAX_VALUE} when it is dynamic.
     */
    public int batchLimit() {
        return batchLimit;
    }

    /** The letterboxed picture the network will read, and how to put its boxes back; any thread. */
    public PreparedImage prepare(BufferedImage image) {
        return translator.prepare(image);
    }

    /**
     * The same from an encoded image (JPEG, PNG), decoded no larger than the network reads it (see
     * {@link org.trapline.detector.image.ImageDecoder}); empty when the bytes are not a picture. Any thread.
     */
    public Optional<PreparedImage> prepare(byte[] encodedImage) {
        return translator.prepare(encodedImage);
    }

    /** The boxes on each image, in order; waits for a free predictor. */
    public List<List<Box>> detect(List<BufferedImage> images) throws TranslateException, InterruptedException {
        List<PreparedImage> prepared = new ArrayList<>(images.size());
        for (BufferedImage image : images) {
            prepared.add(prepare(image));
        }
        return detectPrepared(prepared);
    }

    /** The boxes on each prepared image, in order, in one call to the network; waits for a free predictor. */
    public List<List<Box>> detectPrepared(List<PreparedImage> images) throws TranslateException, InterruptedException {
        if (images.size() > batchLimit) {
            throw new IllegalArgumentException(images.size() + " images in one call, but the network takes at most " + batchLimit);
        }
        Slot slot = slots.take();
        try {
            return slot.predictor.predict(new DetectionTranslator.Batch(images, input(slot, images.size())));
        } finally {
            slots.add(slot);
        }
    }

    /** The slot's input buffer, grown to hold {@code images} images: allocated once, not per call. */
    private FloatBuffer input(Slot slot, int images) {
        int size = settings.inputSize();
        int floats = images * 3 * size * size;
        if (slot.input == null || slot.input.capacity() < floats) {
            slot.input = ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        return slot.input.clear().limit(floats);
    }

    @Override
    public void close() {
        List<Slot> all = new ArrayList<>();
        slots.drainTo(all);
        all.forEach(slot -> slot.predictor.close());
        model.close();
    }
}
