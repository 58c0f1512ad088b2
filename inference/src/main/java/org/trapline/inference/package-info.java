/**
 * What Trapline's networks share, whichever module runs them (the detector's network, the species
 * classifier, the identifier's embedding network). Nothing here knows a topic, a record or a service.
 *
 * <ul>
 * <li>{@code onnx}: opening a network. {@code OnnxSessions} is the one loader (a session on the local file,
 *     handed to DJL as the model's block) and the one place that says why the threading is what it is;
 *     {@code OnnxThreading} holds a network's threading (inference threads, intra-op threads, spinning) and
 *     reads it from the configuration; {@code PredictorPool} lends a predictor to each thread that runs
 *     the network.</li>
 * <li>{@code pixels}: pictures into input tensors. {@code PixelTensor} writes BGR bytes as NCHW planes or
 *     NHWC pixels ({@code InputLayout}), normalised ({@code Normalisation}) through lookup tables;
 *     {@code Resize} brings a picture to an input's size (scaled, or ImageNet's centre crop).</li>
 * <li>{@code crop}: the part of a picture a network sees for one detection box: {@code BoxCrop} (the
 *     species classifier's: square or stretched, padded, drawn at the input size) and {@code ClippedCrop}
 *     (the identifier's: the box and its margin, clipped, at the picture's own pixels).</li>
 * </ul>
 *
 * <p>What is one network's own stays with it: the detector's letterbox and decoders, the classifier's
 * softmax and output choice, the embedding's unit vectors.
 */
package org.trapline.inference;
