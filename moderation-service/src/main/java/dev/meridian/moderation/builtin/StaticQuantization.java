package dev.meridian.moderation.builtin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;

/**
 * Rewrites the quantised BGE model so that a text's embedding does not depend on the texts it is batched with.
 * <p>
 * The model LangChain4j ships is dynamically quantised: 48 {@code DynamicQuantizeLinear} nodes, before its 72 integer
 * matrix products, scale the activations by the range of the whole input tensor, so when several texts
 * run as one batch, each text's embedding depends on the others (and on the padding). Here each of those nodes
 * becomes a {@code QuantizeLinear} with a fixed scale and zero point, taken from the range the activation had over a
 * calibration corpus ({@code training.Calibrate} measures it and writes
 * {@code builtin/activation-ranges.tsv}). Every row of a batch then goes through exactly the arithmetic it would go
 * through alone, and its embedding is the same bit for bit (EmbedderTest checks it), which is what lets concurrent
 * texts share one call of the model. Each integer product is then {@link #fused} with the float arithmetic after it,
 * as ONNX Runtime does itself for the shipped model but not for this one.
 * <p>
 * The ONNX messages are read and written with protobuf's {@link UnknownFieldSet}; the field numbers are those of
 * onnx.proto (ModelProto, OperatorSetIdProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto).
 */
public final class StaticQuantization {

    /** Where the calibrated ranges are on the classpath. */
    public static final String RANGES = "/builtin/activation-ranges.tsv";

    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET_IMPORT = 8;
    private static final int OPSET_DOMAIN = 1;
    private static final int OPSET_VERSION = 2;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int NODE_DOMAIN = 7;
    private static final int ATTRIBUTE_NAME = 1;
    private static final int ATTRIBUTE_INT = 3;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int VALUE_NAME = 1;
    private static final int VALUE_TYPE = 2;
    private static final int TYPE_TENSOR = 1;
    private static final int TENSOR_TYPE_ELEMENT = 1;
    private static final int FLOAT = 1;
    private static final int UINT8 = 2;

    private static final String DYNAMIC = "DynamicQuantizeLinear";
    private static final String FUSED = "MatMulIntegerToFloat";
    private static final String MICROSOFT = "com.microsoft";

    private StaticQuantization() {
    }

    /** The activations the model quantises dynamically: the input of each {@code DynamicQuantizeLinear}, in order. */
    public static List<String> activations(byte[] model) {
        List<String> names = new ArrayList<>();
        for (UnknownFieldSet node : nodes(graph(parse(model)))) {
            if (DYNAMIC.equals(string(node, NODE_OP))) {
                names.add(strings(node, NODE_INPUT).get(0));
            }
        }
        return names;
    }

    /** The model with these intermediate tensors (float) added to its outputs, so a calibration run can read them. */
    public static byte[] exposing(byte[] model, List<String> tensors) {
        UnknownFieldSet parsed = parse(model);
        UnknownFieldSet graph = graph(parsed);
        UnknownFieldSet.Field.Builder outputs = UnknownFieldSet.Field.newBuilder().mergeFrom(graph.getField(GRAPH_OUTPUT));
        for (String tensor : tensors) {
            UnknownFieldSet tensorType = UnknownFieldSet.newBuilder().addField(TENSOR_TYPE_ELEMENT, varint(FLOAT)).build();
            UnknownFieldSet type = UnknownFieldSet.newBuilder().addField(TYPE_TENSOR, bytes(tensorType.toByteString()))
                    .build();
            outputs.addLengthDelimited(UnknownFieldSet.newBuilder().addField(VALUE_NAME, text(tensor))
                    .addField(VALUE_TYPE, bytes(type.toByteString())).build().toByteString());
        }
        return withGraph(parsed, graph.toBuilder().clearField(GRAPH_OUTPUT).addField(GRAPH_OUTPUT, outputs.build()).build());
    }

    /**
     * The model with every {@code DynamicQuantizeLinear} replaced by a fixed {@code QuantizeLinear}
     * ({@link #quantized}), and its integer matrix products then {@link #fused}.
     *
     * @param ranges each quantised activation's {min, max} over the calibration corpus
     * @throws IllegalArgumentException when an activation has no range (ranges measured on another model)
     */
    public static byte[] apply(byte[] model, Map<String, float[]> ranges) {
        return fused(quantized(model, ranges));
    }

    /**
     * The model with every {@code DynamicQuantizeLinear} replaced by a {@code QuantizeLinear} whose scale and zero point
     * are constants under the names the dynamic node gave its outputs, so the nodes that read them are unchanged.
     *
     * @param ranges each quantised activation's {min, max} over the calibration corpus
     * @throws IllegalArgumentException when an activation has no range (ranges measured on another model)
     */
    static byte[] quantized(byte[] model, Map<String, float[]> ranges) {
        UnknownFieldSet parsed = parse(model);
        UnknownFieldSet graph = graph(parsed);
        UnknownFieldSet.Field.Builder nodes = UnknownFieldSet.Field.newBuilder();
        UnknownFieldSet.Field.Builder initializers = UnknownFieldSet.Field.newBuilder()
                .mergeFrom(graph.getField(GRAPH_INITIALIZER));
        int replaced = 0;
        for (UnknownFieldSet node : nodes(graph)) {
            if (!DYNAMIC.equals(string(node, NODE_OP))) {
                nodes.addLengthDelimited(node.toByteString());
                continue;
            }
            String input = strings(node, NODE_INPUT).get(0);
            List<String> outputs = strings(node, NODE_OUTPUT);
            float[] range = ranges.get(input);
            if (range == null) {
                throw new IllegalArgumentException("No calibrated range for the activation '" + input + "'");
            }
            float[] quantization = quantization(range);
            initializers.addLengthDelimited(tensor(outputs.get(1), FLOAT,
                    ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(quantization[0]).array()));
            initializers.addLengthDelimited(tensor(outputs.get(2), UINT8, new byte[] {(byte) quantization[1]}));
            nodes.addLengthDelimited(UnknownFieldSet.newBuilder()
                    .addField(NODE_INPUT, UnknownFieldSet.Field.newBuilder()
                            .addLengthDelimited(ByteString.copyFromUtf8(input))
                            .addLengthDelimited(ByteString.copyFromUtf8(outputs.get(1)))
                            .addLengthDelimited(ByteString.copyFromUtf8(outputs.get(2))).build())
                    .addField(NODE_OUTPUT, text(outputs.get(0)))
                    .addField(NODE_NAME, text("static_quantization_" + replaced++))
                    .addField(NODE_OP, text("QuantizeLinear"))
                    .build().toByteString());
        }
        if (replaced != ranges.size()) {
            throw new IllegalArgumentException(ranges.size() + " calibrated ranges for " + replaced
                    + " dynamically quantised activations: the ranges were measured on another model");
        }
        return withGraph(parsed, graph.toBuilder().clearField(GRAPH_NODE).addField(GRAPH_NODE, nodes.build())
                .clearField(GRAPH_INITIALIZER).addField(GRAPH_INITIALIZER, initializers.build()).build());
    }

    /**
     * The model with each integer matrix product and the float arithmetic after it, {@code MatMulInteger}, {@code Cast}
     * to float, {@code Mul} by the product of the two scales (itself a {@code Mul}) and {@code Add} of the bias, replaced
     * by one {@code MatMulIntegerToFloat} (an ONNX Runtime operator, domain {@code com.microsoft}) that does the same in
     * one pass. ONNX Runtime makes that fusion itself in the shipped model, but not once the activation's scale is a
     * constant: it folds the product of the scales first, and the pattern it looks for is gone. Unfused, each of the 72
     * products costs three more operator calls (the cast, the scaling and the bias), 8 to 15% of the time of a call as
     * measured on a short text. Products that do not have this shape (a cast to another type than float, a result read
     * by more than one node, a bias that is not a constant) are left as they are.
     */
    static byte[] fused(byte[] model) {
        UnknownFieldSet parsed = parse(model);
        UnknownFieldSet graph = graph(parsed);
        List<UnknownFieldSet> nodes = nodes(graph);
        Set<String> constants = new HashSet<>();
        for (ByteString initializer : graph.getField(GRAPH_INITIALIZER).getLengthDelimitedList()) {
            try {
                constants.add(string(UnknownFieldSet.parseFrom(initializer), TENSOR_NAME));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException("Not an ONNX model", e);
            }
        }
        Map<String, Integer> producers = new HashMap<>();
        Map<String, List<Integer>> consumers = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String output : strings(nodes.get(i), NODE_OUTPUT)) {
                producers.put(output, i);
            }
            for (String input : strings(nodes.get(i), NODE_INPUT)) {
                consumers.computeIfAbsent(input, name -> new ArrayList<>()).add(i);
            }
        }
        Map<Integer, ByteString> fused = new HashMap<>();
        Set<Integer> removed = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            UnknownFieldSet product = nodes.get(i);
            List<String> operands = strings(product, NODE_INPUT);
            if (!"MatMulInteger".equals(string(product, NODE_OP)) || operands.size() != 4) {
                continue;
            }
            Integer cast = onlyConsumer(nodes, consumers, strings(product, NODE_OUTPUT).get(0), "Cast");
            if (cast != null && castsTo(nodes.get(cast)) != FLOAT) {
                cast = null;
            }
            Integer scaling = cast == null ? null
                    : onlyConsumer(nodes, consumers, strings(nodes.get(cast), NODE_OUTPUT).get(0), "Mul");
            if (scaling == null) {
                continue;
            }
            String scale = other(strings(nodes.get(scaling), NODE_INPUT), strings(nodes.get(cast), NODE_OUTPUT).get(0));
            Integer scales = producers.get(scale);
            Integer bias = onlyConsumer(nodes, consumers, strings(nodes.get(scaling), NODE_OUTPUT).get(0), "Add");
            if (scales == null || !"Mul".equals(string(nodes.get(scales), NODE_OP))
                    || consumers.get(scale).size() != 1 || bias == null) {
                continue;
            }
            List<String> scaleFactors = strings(nodes.get(scales), NODE_INPUT);
            String biasTensor = other(strings(nodes.get(bias), NODE_INPUT),
                    strings(nodes.get(scaling), NODE_OUTPUT).get(0));
            if (scaleFactors.size() != 2 || !constants.contains(biasTensor)) {
                continue;
            }
            UnknownFieldSet.Field.Builder inputs = UnknownFieldSet.Field.newBuilder();
            for (String input : List.of(operands.get(0), operands.get(1), scaleFactors.get(0), scaleFactors.get(1),
                    operands.get(2), operands.get(3), biasTensor)) {
                inputs.addLengthDelimited(ByteString.copyFromUtf8(input));
            }
            fused.put(i, UnknownFieldSet.newBuilder().addField(NODE_INPUT, inputs.build())
                    .addField(NODE_OUTPUT, text(strings(nodes.get(bias), NODE_OUTPUT).get(0)))
                    .addField(NODE_NAME, text("fused_product_" + fused.size()))
                    .addField(NODE_OP, text(FUSED))
                    .addField(NODE_DOMAIN, text(MICROSOFT))
                    .build().toByteString());
            removed.addAll(List.of(cast, scaling, scales, bias));
        }
        if (fused.isEmpty()) {
            return model;
        }
        UnknownFieldSet.Field.Builder rewritten = UnknownFieldSet.Field.newBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            if (fused.containsKey(i)) {
                rewritten.addLengthDelimited(fused.get(i));
            } else if (!removed.contains(i)) {
                rewritten.addLengthDelimited(nodes.get(i).toByteString());
            }
        }
        UnknownFieldSet.Builder result = parsed.toBuilder();
        if (!importsMicrosoft(parsed)) {
            result.mergeField(MODEL_OPSET_IMPORT, bytes(UnknownFieldSet.newBuilder()
                    .addField(OPSET_DOMAIN, text(MICROSOFT)).addField(OPSET_VERSION, varint(1)).build().toByteString()));
        }
        return withGraph(result.build(), graph.toBuilder().clearField(GRAPH_NODE).addField(GRAPH_NODE, rewritten.build())
                .build());
    }

    /** How many nodes of each operator the model has. */
    static Map<String, Integer> operators(byte[] model) {
        Map<String, Integer> counts = new TreeMap<>();
        for (UnknownFieldSet node : nodes(graph(parse(model)))) {
            counts.merge(string(node, NODE_OP), 1, Integer::sum);
        }
        return counts;
    }

    /** The node of this operator that is the only reader of the tensor, or null. */
    private static Integer onlyConsumer(List<UnknownFieldSet> nodes, Map<String, List<Integer>> consumers,
            String tensor, String operator) {
        List<Integer> readers = consumers.getOrDefault(tensor, List.of());
        return readers.size() == 1 && operator.equals(string(nodes.get(readers.get(0)), NODE_OP)) ? readers.get(0)
                : null;
    }

    /** The element type a {@code Cast} node casts to (its attribute {@code to}), or -1. */
    private static long castsTo(UnknownFieldSet cast) {
        for (ByteString attribute : cast.getField(NODE_ATTRIBUTE).getLengthDelimitedList()) {
            try {
                UnknownFieldSet parsed = UnknownFieldSet.parseFrom(attribute);
                if ("to".equals(string(parsed, ATTRIBUTE_NAME)) && parsed.hasField(ATTRIBUTE_INT)) {
                    return parsed.getField(ATTRIBUTE_INT).getVarintList().get(0);
                }
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException("Not an ONNX model", e);
            }
        }
        return -1;
    }

    /** The input of a two-input node that is not this one. */
    private static String other(List<String> inputs, String one) {
        return inputs.size() != 2 ? null : inputs.get(0).equals(one) ? inputs.get(1) : inputs.get(0);
    }

    private static boolean importsMicrosoft(UnknownFieldSet model) {
        for (ByteString opset : model.getField(MODEL_OPSET_IMPORT).getLengthDelimitedList()) {
            try {
                UnknownFieldSet parsed = UnknownFieldSet.parseFrom(opset);
                if (parsed.hasField(OPSET_DOMAIN) && MICROSOFT.equals(string(parsed, OPSET_DOMAIN))) {
                    return true;
                }
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException("Not an ONNX model", e);
            }
        }
        return false;
    }

    /**
     * The scale and zero point {@code DynamicQuantizeLinear} would have chosen for a tensor spanning this range: the
     * range widened to include 0, mapped onto 0..255.
     */
    static float[] quantization(float[] range) {
        float low = Math.min(0f, range[0]);
        float high = Math.max(0f, range[1]);
        float scale = (high - low) / 255f;
        if (!(scale > 0)) {
            throw new IllegalArgumentException("An empty activation range: " + range[0] + ".." + range[1]);
        }
        float zeroPoint = Math.max(0, Math.min(255, Math.round(-low / scale)));
        return new float[] {scale, zeroPoint};
    }

    /** The ranges in {@link #RANGES}: one line per activation, its name, minimum and maximum, tab-separated. */
    public static Map<String, float[]> ranges() {
        InputStream in = StaticQuantization.class.getResourceAsStream(RANGES);
        if (in == null) {
            throw new IllegalStateException(RANGES + " is missing from the classpath");
        }
        Map<String, float[]> ranges = new LinkedHashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t");
                ranges.put(fields[0], new float[] {Float.parseFloat(fields[1]), Float.parseFloat(fields[2])});
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ranges;
    }

    private static UnknownFieldSet parse(byte[] model) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(model);
            in.setSizeLimit(Integer.MAX_VALUE);
            return UnknownFieldSet.parseFrom(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("Not an ONNX model", e);
        }
    }

    private static UnknownFieldSet graph(UnknownFieldSet model) {
        try {
            return UnknownFieldSet.parseFrom(model.getField(MODEL_GRAPH).getLengthDelimitedList().get(0));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("Not an ONNX model", e);
        }
    }

    private static List<UnknownFieldSet> nodes(UnknownFieldSet graph) {
        List<UnknownFieldSet> nodes = new ArrayList<>();
        for (ByteString node : graph.getField(GRAPH_NODE).getLengthDelimitedList()) {
            try {
                nodes.add(UnknownFieldSet.parseFrom(node));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException("Not an ONNX model", e);
            }
        }
        return nodes;
    }

    private static byte[] withGraph(UnknownFieldSet model, UnknownFieldSet graph) {
        return model.toBuilder().clearField(MODEL_GRAPH).addField(MODEL_GRAPH, bytes(graph.toByteString())).build()
                .toByteArray();
    }

    private static ByteString tensor(String name, int type, byte[] raw) {
        return UnknownFieldSet.newBuilder().addField(TENSOR_DATA_TYPE, varint(type)).addField(TENSOR_NAME, text(name))
                .addField(TENSOR_RAW_DATA, bytes(ByteString.copyFrom(raw))).build().toByteString();
    }

    private static String string(UnknownFieldSet message, int field) {
        return message.getField(field).getLengthDelimitedList().get(0).toStringUtf8();
    }

    private static List<String> strings(UnknownFieldSet message, int field) {
        return message.getField(field).getLengthDelimitedList().stream().map(ByteString::toStringUtf8).toList();
    }

    private static UnknownFieldSet.Field text(String value) {
        return bytes(ByteString.copyFromUtf8(value));
    }

    private static UnknownFieldSet.Field bytes(ByteString value) {
        return UnknownFieldSet.Field.newBuilder().addLengthDelimited(value).build();
    }

    private static UnknownFieldSet.Field varint(long value) {
        return UnknownFieldSet.Field.newBuilder().addVarint(value).build();
    }
}
