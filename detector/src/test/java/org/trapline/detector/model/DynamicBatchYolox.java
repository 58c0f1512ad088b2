package org.trapline.detector.model;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes a dynamic-batch copy of the shared YOLOX-nano export for tests, since the shipped file fixes its
 * batch at 1 and no other detection network is available here. Nothing the network computes changes:
 * every convolution, weight and activation is the original's. Only the plumbing of its head is
 * generalised. The export reshapes each scale level's {@code [1, 85, g, g]} output to {@code [g², 85, 1]}
 * (a reinterpretation of the same memory, which is why the output runs per level and channel by
 * channel), concatenates the levels on axis 0 and transposes to {@code [1, 8400, 85]}, which folds the
 * batch into the other dimensions. The copy reshapes each level to {@code [N, 85·g²]}, concatenates on
 * axis 1 and reshapes to {@code [N, 8400, 85]}: each image's values lie in exactly the order the original
 * writes them for one image, and the input's and output's first dimension becomes {@code N}.
 *
 * <p>ONNX files are protocol buffers; the few fields touched are edited in the wire format directly
 * (field numbers from onnx.proto), so no ONNX or protobuf library is needed.
 */
public final class DynamicBatchYolox {

    // onnx.proto field numbers
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int GRAPH_VALUE_INFO = 13;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int ATTRIBUTE_NAME = 1;
    private static final int ATTRIBUTE_INT = 3;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int TENSOR_INT64 = 7;
    private static final int VALUE_TYPE = 2;
    private static final int TYPE_TENSOR = 1;
    private static final int TENSOR_TYPE_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;
    private static final int DIM_PARAM = 2;

    private static final String OUTPUT_SHAPE = "trapline_dynamic_batch_output_shape";

    private DynamicBatchYolox() {
    }

    /** One field of a message in the wire format: a varint, or the bytes of a length-delimited or fixed field. */
    private record Field(int number, int wireType, long varint, byte[] bytes) {

        static Field ofBytes(int number, byte[] bytes) {
            return new Field(number, 2, 0, bytes);
        }

        static Field ofString(int number, String text) {
            return ofBytes(number, text.getBytes(StandardCharsets.UTF_8));
        }

        static Field ofVarint(int number, long value) {
            return new Field(number, 0, value, null);
        }

        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Writes the dynamic-batch copy of {@code fixed} to {@code target}. */
    public static Path write(Path fixed, Path target) throws Exception {
        List<Field> model = parse(Files.readAllBytes(fixed));
        int graphAt = indexOf(model, MODEL_GRAPH);
        model.set(graphAt, Field.ofBytes(MODEL_GRAPH, write(rewriteGraph(parse(model.get(graphAt).bytes())))));
        Files.write(target, write(model));
        return target;
    }

    private static List<Field> rewriteGraph(List<Field> graph) {
        List<Field> out = new ArrayList<>();
        List<List<Field>> nodes = new ArrayList<>();
        for (Field f : graph) {
            if (f.number() == GRAPH_NODE) {
                nodes.add(parse(f.bytes()));
            }
        }
        String outputName = text(parse(graph.stream().filter(f -> f.number() == GRAPH_OUTPUT).findFirst().orElseThrow().bytes()), 1);
        List<Field> transpose = producer(nodes, outputName).orElseThrow();
        require("Transpose".equals(text(transpose, NODE_OP_TYPE)), "the output is not made by a Transpose");
        List<Field> concat = producer(nodes, texts(transpose, NODE_INPUT).get(0)).orElseThrow();
        require("Concat".equals(text(concat, NODE_OP_TYPE)), "the Transpose does not read a Concat");
        List<List<Field>> reshapes = new ArrayList<>();
        for (String input : texts(concat, NODE_INPUT)) {
            List<Field> reshape = producer(nodes, input).orElseThrow();
            require("Reshape".equals(text(reshape, NODE_OP_TYPE)), "a level is not reshaped");
            reshapes.add(reshape);
        }
        List<String> shapeNames = reshapes.stream().map(r -> texts(r, NODE_INPUT).get(1)).toList();

        long anchors = 0;
        long channels = 0;
        for (Field f : graph) {
            switch (f.number()) {
                case GRAPH_NODE -> {
                    List<Field> node = parse(f.bytes());
                    if (same(node, concat)) {
                        node = concatOnAxis1(node);
                    } else if (same(node, transpose)) {
                        node = reshapeInsteadOf(node);
                    }
                    out.add(Field.ofBytes(GRAPH_NODE, write(node)));
                }
                case GRAPH_INITIALIZER -> {
                    List<Field> tensor = parse(f.bytes());
                    if (shapeNames.contains(text(tensor, TENSOR_NAME))) {
                        long[] shape = int64s(tensor);  // [g², 85, 1]
                        require(shape.length == 3 && shape[2] == 1, "a level's shape is not [cells, channels, 1]");
                        anchors += shape[0];
                        channels = shape[1];
                        tensor = int64Tensor(text(tensor, TENSOR_NAME), -1, shape[0] * shape[1]);
                    }
                    out.add(Field.ofBytes(GRAPH_INITIALIZER, write(tensor)));
                }
                case GRAPH_INPUT, GRAPH_OUTPUT -> out.add(Field.ofBytes(f.number(), write(batchDimension(parse(f.bytes())))));
                case GRAPH_VALUE_INFO -> {
                    // intermediate shapes recorded for batch 1: left out, ONNX Runtime infers them again
                }
                default -> out.add(f);
            }
        }
        require(anchors > 0 && channels > 0, "the levels' shapes were not found among the initializers");
        out.add(Field.ofBytes(GRAPH_INITIALIZER, write(int64Tensor(OUTPUT_SHAPE, -1, anchors, channels))));
        return out;
    }

    private static List<Field> concatOnAxis1(List<Field> node) {
        List<Field> out = new ArrayList<>();
        for (Field f : node) {
            if (f.number() == NODE_ATTRIBUTE && "axis".equals(text(parse(f.bytes()), ATTRIBUTE_NAME))) {
                List<Field> attribute = new ArrayList<>();
                for (Field a : parse(f.bytes())) {
                    attribute.add(a.number() == ATTRIBUTE_INT ? Field.ofVarint(ATTRIBUTE_INT, 1) : a);
                }
                out.add(Field.ofBytes(NODE_ATTRIBUTE, write(attribute)));
            } else {
                out.add(f);
            }
        }
        return out;
    }

    /** The Transpose becomes a Reshape to {@code [N, anchors, channels]} (its perm attribute dropped). */
    private static List<Field> reshapeInsteadOf(List<Field> node) {
        List<Field> out = new ArrayList<>();
        for (Field f : node) {
            if (f.number() == NODE_OP_TYPE) {
                out.add(Field.ofString(NODE_OP_TYPE, "Reshape"));
            } else if (f.number() == NODE_ATTRIBUTE) {
                continue;
            } else {
                out.add(f);
                if (f.number() == NODE_INPUT) {
                    out.add(Field.ofString(NODE_INPUT, OUTPUT_SHAPE));
                }
            }
        }
        return out;
    }

    /** A value's first dimension becomes the symbolic {@code N}. */
    private static List<Field> batchDimension(List<Field> valueInfo) {
        return replace(valueInfo, VALUE_TYPE, type -> replace(type, TYPE_TENSOR, tensor -> replace(tensor, TENSOR_TYPE_SHAPE, shape -> {
            List<Field> out = new ArrayList<>(shape);
            int first = indexOf(out, SHAPE_DIM);
            out.set(first, Field.ofBytes(SHAPE_DIM, write(List.of(Field.ofString(DIM_PARAM, "N")))));
            return out;
        })));
    }

    private static List<Field> replace(List<Field> message, int number, java.util.function.UnaryOperator<List<Field>> change) {
        List<Field> out = new ArrayList<>(message);
        int at = indexOf(out, number);
        out.set(at, Field.ofBytes(number, write(change.apply(parse(out.get(at).bytes())))));
        return out;
    }

    private static List<Field> int64Tensor(String name, long... values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            raw.putLong(v);
        }
        return List.of(Field.ofVarint(TENSOR_DIMS, values.length), Field.ofVarint(TENSOR_DATA_TYPE, 7),
                Field.ofString(TENSOR_NAME, name), Field.ofBytes(TENSOR_RAW_DATA, raw.array()));
    }

    private static long[] int64s(List<Field> tensor) {
        for (Field f : tensor) {
            if (f.number() == TENSOR_RAW_DATA) {
                ByteBuffer raw = ByteBuffer.wrap(f.bytes()).order(ByteOrder.LITTLE_ENDIAN);
                long[] values = new long[f.bytes().length / 8];
                for (int i = 0; i < values.length; i++) {
                    values[i] = raw.getLong();
                }
                return values;
            }
        }
        List<Long> values = new ArrayList<>();
        for (Field f : tensor) {
            if (f.number() == TENSOR_INT64 && f.wireType() == 0) {
                values.add(f.varint());
            } else if (f.number() == TENSOR_INT64) {
                ByteBuffer packed = ByteBuffer.wrap(f.bytes());
                while (packed.hasRemaining()) {
                    values.add(readVarint(packed));
                }
            }
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static Optional<List<Field>> producer(List<List<Field>> nodes, String output) {
        return nodes.stream().filter(n -> texts(n, NODE_OUTPUT).contains(output)).findFirst();
    }

    private static boolean same(List<Field> a, List<Field> b) {
        return texts(a, NODE_OUTPUT).equals(texts(b, NODE_OUTPUT));
    }

    private static String text(List<Field> message, int number) {
        return message.stream().filter(f -> f.number() == number).findFirst().map(Field::text).orElse(null);
    }

    private static List<String> texts(List<Field> message, int number) {
        return message.stream().filter(f -> f.number() == number).map(Field::text).toList();
    }

    private static int indexOf(List<Field> message, int number) {
        for (int i = 0; i < message.size(); i++) {
            if (message.get(i).number() == number) {
                return i;
            }
        }
        throw new IllegalArgumentException("no field " + number);
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalArgumentException("not the YOLOX export this was written for: " + what);
        }
    }

    static List<Field> parse(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        List<Field> fields = new ArrayList<>();
        while (in.hasRemaining()) {
            long tag = readVarint(in);
            int number = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            switch (wireType) {
                case 0 -> fields.add(new Field(number, 0, readVarint(in), null));
                case 1, 5 -> {
                    byte[] fixed = new byte[wireType == 1 ? 8 : 4];
                    in.get(fixed);
                    fields.add(new Field(number, wireType, 0, fixed));
                }
                case 2 -> {
                    byte[] value = new byte[Math.toIntExact(readVarint(in))];
                    in.get(value);
                    fields.add(new Field(number, 2, 0, value));
                }
                default -> throw new IllegalArgumentException("wire type " + wireType + " of field " + number);
            }
        }
        return fields;
    }

    static byte[] write(List<Field> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Field f : fields) {
            writeVarint(out, ((long) f.number() << 3) | f.wireType());
            switch (f.wireType()) {
                case 0 -> writeVarint(out, f.varint());
                case 2 -> {
                    writeVarint(out, f.bytes().length);
                    out.writeBytes(f.bytes());
                }
                default -> out.writeBytes(f.bytes());
            }
        }
        return out.toByteArray();
    }

    private static long readVarint(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than 64 bits");
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
