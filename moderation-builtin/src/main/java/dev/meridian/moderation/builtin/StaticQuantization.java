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
import java.util.Arrays;
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
 * as ONNX Runtime does itself for the shipped model but not for this one, and each self-attention becomes one
 * operator ({@link #attention}), which changes no bit of the result.
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

    private static final int GRAPH_INPUT = 11;
    private static final int ATTRIBUTE_FLOAT = 2;
    private static final int ATTRIBUTE_TENSOR = 5;
    private static final int ATTRIBUTE_INTS = 8;
    private static final int ATTRIBUTE_TYPE = 20;
    private static final int ATTRIBUTE_TYPE_FLOAT = 1;
    private static final int ATTRIBUTE_TYPE_INT = 2;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_INT32_DATA = 5;
    private static final int TENSOR_INT64_DATA = 7;
    private static final int INT8 = 3;
    private static final int INT32 = 6;
    private static final int INT64 = 7;

    private static final String DYNAMIC = "DynamicQuantizeLinear";
    private static final String ATTENTION = "QAttention";
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
     * ({@link #quantized}), its integer matrix products then {@link #fused}, and each self-attention made one operator
     * ({@link #attention}).
     *
     * @param ranges each quantised activation's {min, max} over the calibration corpus
     * @throws IllegalArgumentException when an activation has no range (ranges measured on another model)
     */
    public static byte[] apply(byte[] model, Map<String, float[]> ranges) {
        return attention(fused(quantized(model, ranges)));
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
        Graph g = new Graph(graph);
        List<UnknownFieldSet> nodes = g.nodes;
        Map<Integer, ByteString> fused = new HashMap<>();
        Set<Integer> removed = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            UnknownFieldSet product = nodes.get(i);
            List<String> operands = strings(product, NODE_INPUT);
            if (!"MatMulInteger".equals(string(product, NODE_OP)) || operands.size() != 4) {
                continue;
            }
            Integer cast = g.onlyConsumer(g.output(i), "Cast");
            if (cast != null && !Long.valueOf(FLOAT).equals(integer(nodes.get(cast), "to"))) {
                cast = null;
            }
            Integer scaling = cast == null ? null : g.onlyConsumer(g.output(cast), "Mul");
            if (scaling == null) {
                continue;
            }
            String scale = other(strings(nodes.get(scaling), NODE_INPUT), strings(nodes.get(cast), NODE_OUTPUT).get(0));
            Integer scales = g.producer(scale, "Mul");
            Integer bias = g.onlyConsumer(g.output(scaling), "Add");
            if (scales == null || g.onlyConsumer(scale, "Mul") == null || bias == null) {
                continue;
            }
            List<String> scaleFactors = strings(nodes.get(scales), NODE_INPUT);
            String biasTensor = other(strings(nodes.get(bias), NODE_INPUT),
                    strings(nodes.get(scaling), NODE_OUTPUT).get(0));
            if (scaleFactors.size() != 2 || g.constant(biasTensor) == null) {
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
        return withGraph(importingMicrosoft(parsed), graph.toBuilder().clearField(GRAPH_NODE)
                .addField(GRAPH_NODE, rewritten.build()).build());
    }

    /**
     * The model with each self-attention of the encoder, from the three quantised products that make its query, key and
     * value to the reshape that joins its heads again, replaced by one {@code QAttention} (an ONNX Runtime operator,
     * domain {@code com.microsoft}): one node instead of sixteen (the three products, four reshapes, four transposes,
     * the scores' product, scaling, mask and softmax, and the product with the values) and the shape arithmetic of the
     * reshapes. It reads the quantised activation once for the three products, keeps every head's query, key and value
     * in place rather than reshaping and transposing them, and masks the padding from the model's
     * {@code attention_mask} directly. The three weight matrices become one of three times the width, with their scales
     * per column, and their zero points per column when one is not zero (none is in the shipped model). An attention of
     * another shape (another order of transposes, a softmax over another axis, a divisor that is not a constant, a mask
     * computed otherwise, heads that differ) is left as it is; nodes and constants that nothing reads any more are then removed.
     */
    static byte[] attention(byte[] model) {
        UnknownFieldSet parsed = parse(model);
        UnknownFieldSet graph = graph(parsed);
        Graph g = new Graph(graph);
        String maskInput = null;
        Map<Integer, ByteString> replaced = new HashMap<>();
        UnknownFieldSet.Field.Builder initializers = UnknownFieldSet.Field.newBuilder()
                .mergeFrom(graph.getField(GRAPH_INITIALIZER));
        String mask = "attention_mask_int32";
        for (int softmax = 0; softmax < g.nodes.size(); softmax++) {
            if (!"Softmax".equals(g.op(softmax))) {
                continue;
            }
            Integer add = g.producer(g.input(softmax, 0), "Add");
            Integer scaling = add == null ? null : g.producerOfEither(add, "Div");
            Integer scores = scaling == null ? null : g.producer(g.input(scaling, 0), "MatMul");
            Float divisor = scaling == null ? null : g.scalar(g.input(scaling, 1));
            String maskTensor = add == null || scaling == null ? null
                    : other(g.inputs(add), g.output(scaling));
            Float filter = maskTensor == null ? null : g.paddingMask(maskTensor);
            String padding = maskTensor == null ? null : g.maskInput(maskTensor);
            Integer weighted = g.onlyConsumer(g.output(softmax), "MatMul");
            Integer joined = weighted == null ? null : g.onlyConsumer(g.output(weighted), "Transpose");
            Integer reshape = joined == null ? null : g.consumer(g.output(joined), "Reshape");
            // the scores are normalised over the keys, the last of their four axes, as QAttention does
            Long axis = integer(g.nodes.get(softmax), "axis");
            if (axis == null || (axis != -1 && axis != 3)) {
                continue;
            }
            if (scores == null || divisor == null || filter == null || padding == null || weighted == null
                    || reshape == null || !g.permutation(joined, 0, 2, 1, 3)
                    || !g.output(softmax).equals(g.input(weighted, 0))
                    || (maskInput != null && !maskInput.equals(padding))) {
                continue;
            }
            Integer query = g.head(g.input(scores, 0), 0, 2, 1, 3);
            Integer key = g.head(g.input(scores, 1), 0, 2, 3, 1);
            Integer value = g.head(g.input(weighted, 1), 0, 2, 1, 3);
            if (query == null || key == null || value == null) {
                continue;
            }
            long[] heads = g.heads(g.input(scores, 0));
            if (heads == null || !Arrays.equals(heads, g.heads(g.input(scores, 1)))
                    || !Arrays.equals(heads, g.heads(g.input(weighted, 1)))) {
                continue;
            }
            List<String> q = g.inputs(query);
            List<String> k = g.inputs(key);
            List<String> v = g.inputs(value);
            if (q.size() != 7 || k.size() != 7 || v.size() != 7
                    || !q.get(0).equals(k.get(0)) || !q.get(0).equals(v.get(0)) || !q.get(2).equals(k.get(2))
                    || !q.get(2).equals(v.get(2)) || !q.get(4).equals(k.get(4)) || !q.get(4).equals(v.get(4))) {
                continue;
            }
            UnknownFieldSet[] weights = {g.constant(q.get(1)), g.constant(k.get(1)), g.constant(v.get(1))};
            UnknownFieldSet[] biases = {g.constant(q.get(6)), g.constant(k.get(6)), g.constant(v.get(6))};
            UnknownFieldSet[] scales = {g.constant(q.get(3)), g.constant(k.get(3)), g.constant(v.get(3))};
            UnknownFieldSet[] zeros = {g.constant(q.get(5)), g.constant(k.get(5)), g.constant(v.get(5))};
            long hidden = heads[0] * heads[1];
            if (!matrices(weights, hidden) || !vectors(biases, FLOAT, hidden) || !perTensorOrColumn(scales, FLOAT, hidden)
                    || !perTensorOrColumn(zeros, INT8, hidden)) {
                continue;
            }
            String prefix = "attention_" + replaced.size();
            initializers.addLengthDelimited(tensor(prefix + "_weight", INT8, new long[] {dims(weights[0])[0], 3 * hidden},
                    interleaved(weights, hidden)));
            initializers.addLengthDelimited(tensor(prefix + "_bias", FLOAT, new long[] {3 * hidden},
                    columns(biases, hidden)));
            initializers.addLengthDelimited(tensor(prefix + "_weight_scale", FLOAT, new long[] {3 * hidden},
                    columns(scales, hidden)));
            byte[] zeroPoints = columns(zeros, hidden);
            List<String> operands = new ArrayList<>(List.of(q.get(0), prefix + "_weight", prefix + "_bias", q.get(2),
                    prefix + "_weight_scale", mask, q.get(4)));
            if (!ByteString.copyFrom(zeroPoints).equals(ByteString.copyFrom(new byte[zeroPoints.length]))) {
                initializers.addLengthDelimited(tensor(prefix + "_weight_zero_point", INT8, new long[] {3 * hidden},
                        zeroPoints));
                operands.add(prefix + "_weight_zero_point");
            }
            UnknownFieldSet.Field.Builder inputs = UnknownFieldSet.Field.newBuilder();
            for (String input : operands) {
                inputs.addLengthDelimited(ByteString.copyFromUtf8(input));
            }
            UnknownFieldSet.Field.Builder attributes = UnknownFieldSet.Field.newBuilder()
                    .addLengthDelimited(intAttribute("num_heads", heads[0]))
                    .addLengthDelimited(floatAttribute("scale", 1f / divisor))
                    .addLengthDelimited(floatAttribute("mask_filter_value", filter));
            replaced.put(reshape, UnknownFieldSet.newBuilder().addField(NODE_INPUT, inputs.build())
                    .addField(NODE_OUTPUT, text(g.output(reshape)))
                    .addField(NODE_NAME, text(prefix))
                    .addField(NODE_OP, text(ATTENTION))
                    .addField(NODE_DOMAIN, text(MICROSOFT))
                    .addField(NODE_ATTRIBUTE, attributes.build())
                    .build().toByteString());
            maskInput = padding;
        }
        if (replaced.isEmpty()) {
            return model;
        }
        UnknownFieldSet.Field.Builder rewritten = UnknownFieldSet.Field.newBuilder();
        rewritten.addLengthDelimited(UnknownFieldSet.newBuilder().addField(NODE_INPUT, text(maskInput))
                .addField(NODE_OUTPUT, text(mask)).addField(NODE_NAME, text(mask)).addField(NODE_OP, text("Cast"))
                .addField(NODE_ATTRIBUTE, UnknownFieldSet.Field.newBuilder().addLengthDelimited(
                        intAttribute("to", INT32)).build())
                .build().toByteString());
        for (int i = 0; i < g.nodes.size(); i++) {
            rewritten.addLengthDelimited(replaced.containsKey(i) ? replaced.get(i) : g.nodes.get(i).toByteString());
        }
        return withGraph(importingMicrosoft(parsed), live(graph.toBuilder().clearField(GRAPH_NODE).addField(GRAPH_NODE,
                rewritten.build()).clearField(GRAPH_INITIALIZER).addField(GRAPH_INITIALIZER, initializers.build())
                .build()));
    }

    /** The graph without the nodes whose outputs nothing reads, and without the constants no node reads. */
    private static UnknownFieldSet live(UnknownFieldSet graph) {
        List<UnknownFieldSet> nodes = nodes(graph);
        Set<String> needed = new HashSet<>();
        for (ByteString output : graph.getField(GRAPH_OUTPUT).getLengthDelimitedList()) {
            needed.add(string(message(output), VALUE_NAME));
        }
        boolean[] kept = new boolean[nodes.size()];
        for (boolean grew = true; grew;) {
            grew = false;
            for (int i = nodes.size() - 1; i >= 0; i--) {
                if (kept[i]) {
                    continue;
                }
                for (String output : strings(nodes.get(i), NODE_OUTPUT)) {
                    kept[i] |= needed.contains(output);
                }
                if (kept[i]) {
                    grew = true;
                    needed.addAll(strings(nodes.get(i), NODE_INPUT));
                }
            }
        }
        UnknownFieldSet.Field.Builder liveNodes = UnknownFieldSet.Field.newBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            if (kept[i]) {
                liveNodes.addLengthDelimited(nodes.get(i).toByteString());
            }
        }
        UnknownFieldSet.Field.Builder liveInitializers = UnknownFieldSet.Field.newBuilder();
        for (ByteString initializer : graph.getField(GRAPH_INITIALIZER).getLengthDelimitedList()) {
            if (needed.contains(string(message(initializer), TENSOR_NAME))) {
                liveInitializers.addLengthDelimited(initializer);
            }
        }
        return graph.toBuilder().clearField(GRAPH_NODE).addField(GRAPH_NODE, liveNodes.build())
                .clearField(GRAPH_INITIALIZER).addField(GRAPH_INITIALIZER, liveInitializers.build()).build();
    }

    /** Whether these are weight matrices of the same shape, int8, {@code hidden} columns wide. */
    private static boolean matrices(UnknownFieldSet[] tensors, long hidden) {
        for (UnknownFieldSet tensor : tensors) {
            long[] dims = tensor == null ? null : dims(tensor);
            if (dims == null || dims.length != 2 || dims[1] != hidden || dims[0] != dims(tensors[0])[0]
                    || type(tensor) != INT8 || !tensor.hasField(TENSOR_RAW_DATA)) {
                return false;
            }
        }
        return true;
    }

    /** Whether these are constants of this element type with this many elements each. */
    private static boolean vectors(UnknownFieldSet[] tensors, int type, long elements) {
        for (UnknownFieldSet tensor : tensors) {
            if (tensor == null || type(tensor) != type || raw(tensor).size() != elements * size(type)) {
                return false;
            }
        }
        return true;
    }

    /** Whether these are constants of this element type, each one value or one per column. */
    private static boolean perTensorOrColumn(UnknownFieldSet[] tensors, int type, long columns) {
        for (UnknownFieldSet tensor : tensors) {
            if (!vectors(new UnknownFieldSet[] {tensor}, type, 1) && !vectors(new UnknownFieldSet[] {tensor}, type,
                    columns)) {
                return false;
            }
        }
        return true;
    }

    /** The rows of the three matrices side by side: row r is row r of the first, then of the second, then the third. */
    private static byte[] interleaved(UnknownFieldSet[] matrices, long hidden) {
        int width = Math.toIntExact(hidden);
        int rows = Math.toIntExact(dims(matrices[0])[0]);
        byte[] joined = new byte[rows * width * matrices.length];
        for (int m = 0; m < matrices.length; m++) {
            byte[] data = raw(matrices[m]).toByteArray();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(data, r * width, joined, (r * matrices.length + m) * width, width);
            }
        }
        return joined;
    }

    /** The per-column values of the tensors one after the other, a tensor of one value counting for each column. */
    private static byte[] columns(UnknownFieldSet[] tensors, long columns) {
        ByteString joined = ByteString.EMPTY;
        for (UnknownFieldSet tensor : tensors) {
            ByteString values = raw(tensor);
            for (long i = values.size() == size(type(tensor)) ? columns : 1; i > 0; i--) {
                joined = joined.concat(values);
            }
        }
        return joined.toByteArray();
    }

    private static long type(UnknownFieldSet tensor) {
        return tensor.getField(TENSOR_DATA_TYPE).getVarintList().isEmpty() ? -1
                : tensor.getField(TENSOR_DATA_TYPE).getVarintList().get(0);
    }

    private static int size(long type) {
        return type == FLOAT || type == INT32 ? 4 : type == INT64 ? 8 : 1;
    }

    private static long[] dims(UnknownFieldSet tensor) {
        return longs(tensor.getField(TENSOR_DIMS));
    }

    /** A repeated int64 field, packed or not. */
    private static long[] longs(UnknownFieldSet.Field field) {
        List<Long> values = new ArrayList<>(field.getVarintList());
        for (ByteString packed : field.getLengthDelimitedList()) {
            try {
                CodedInputStream in = packed.newCodedInput();
                while (!in.isAtEnd()) {
                    values.add(in.readInt64());
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("Not an ONNX model", e);
            }
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    /** A tensor's elements as little-endian bytes, whether it stores them raw or typed. */
    private static ByteString raw(UnknownFieldSet tensor) {
        if (tensor.hasField(TENSOR_RAW_DATA)) {
            return tensor.getField(TENSOR_RAW_DATA).getLengthDelimitedList().get(0);
        }
        long type = type(tensor);
        ByteBuffer buffer;
        if (type == FLOAT) {
            UnknownFieldSet.Field data = tensor.getField(TENSOR_FLOAT_DATA);
            List<Float> values = new ArrayList<>();
            data.getFixed32List().forEach(bits -> values.add(Float.intBitsToFloat(bits)));
            for (ByteString packed : data.getLengthDelimitedList()) {
                ByteBuffer in = packed.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                while (in.hasRemaining()) {
                    values.add(in.getFloat());
                }
            }
            buffer = ByteBuffer.allocate(4 * values.size()).order(ByteOrder.LITTLE_ENDIAN);
            values.forEach(buffer::putFloat);
        } else if (type == INT64) {
            long[] values = longs(tensor.getField(TENSOR_INT64_DATA));
            buffer = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (long value : values) {
                buffer.putLong(value);
            }
        } else {
            long[] values = longs(tensor.getField(TENSOR_INT32_DATA));
            buffer = ByteBuffer.allocate(size(type) * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (long value : values) {
                if (size(type) == 4) {
                    buffer.putInt((int) value);
                } else {
                    buffer.put((byte) value);
                }
            }
        }
        return ByteString.copyFrom(buffer.array());
    }

    private static ByteString intAttribute(String name, long value) {
        return UnknownFieldSet.newBuilder().addField(ATTRIBUTE_NAME, text(name)).addField(ATTRIBUTE_INT, varint(value))
                .addField(ATTRIBUTE_TYPE, varint(ATTRIBUTE_TYPE_INT)).build().toByteString();
    }

    private static ByteString floatAttribute(String name, float value) {
        return UnknownFieldSet.newBuilder().addField(ATTRIBUTE_NAME, text(name))
                .addField(ATTRIBUTE_FLOAT, UnknownFieldSet.Field.newBuilder()
                        .addFixed32(Float.floatToRawIntBits(value)).build())
                .addField(ATTRIBUTE_TYPE, varint(ATTRIBUTE_TYPE_FLOAT)).build().toByteString();
    }

    private static UnknownFieldSet message(ByteString bytes) {
        try {
            return UnknownFieldSet.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("Not an ONNX model", e);
        }
    }

    /** A graph's nodes with who produces and who reads each tensor, its constants, and its inputs. */
    private static final class Graph {

        final List<UnknownFieldSet> nodes;
        private final Map<String, Integer> producers = new HashMap<>();
        private final Map<String, List<Integer>> consumers = new HashMap<>();
        private final Map<String, UnknownFieldSet> constants = new HashMap<>();
        private final Set<String> inputs = new HashSet<>();

        Graph(UnknownFieldSet graph) {
            nodes = nodes(graph);
            for (ByteString initializer : graph.getField(GRAPH_INITIALIZER).getLengthDelimitedList()) {
                UnknownFieldSet tensor = message(initializer);
                constants.put(string(tensor, TENSOR_NAME), tensor);
            }
            for (ByteString input : graph.getField(GRAPH_INPUT).getLengthDelimitedList()) {
                inputs.add(string(message(input), VALUE_NAME));
            }
            for (int i = 0; i < nodes.size(); i++) {
                for (String output : strings(nodes.get(i), NODE_OUTPUT)) {
                    producers.put(output, i);
                }
                for (String input : strings(nodes.get(i), NODE_INPUT)) {
                    consumers.computeIfAbsent(input, name -> new ArrayList<>()).add(i);
                }
                if ("Constant".equals(op(i))) {
                    for (ByteString attribute : nodes.get(i).getField(NODE_ATTRIBUTE).getLengthDelimitedList()) {
                        UnknownFieldSet parsed = message(attribute);
                        if ("value".equals(string(parsed, ATTRIBUTE_NAME)) && parsed.hasField(ATTRIBUTE_TENSOR)) {
                            constants.put(output(i), message(parsed.getField(ATTRIBUTE_TENSOR)
                                    .getLengthDelimitedList().get(0)));
                        }
                    }
                }
            }
        }

        String op(int node) {
            return string(nodes.get(node), NODE_OP);
        }

        List<String> inputs(int node) {
            return strings(nodes.get(node), NODE_INPUT);
        }

        String input(int node, int index) {
            List<String> all = inputs(node);
            return index < all.size() ? all.get(index) : "";
        }

        String output(int node) {
            return strings(nodes.get(node), NODE_OUTPUT).get(0);
        }

        /** The constant (an initializer or a {@code Constant} node's value) of this name, or null. */
        UnknownFieldSet constant(String name) {
            return constants.get(name);
        }

        /** The node of this operator that makes the tensor, or null. */
        Integer producer(String tensor, String operator) {
            Integer node = producers.get(tensor);
            return node != null && operator.equals(op(node)) ? node : null;
        }

        /** Of a two-input node, the node of this operator that makes one of its inputs, or null. */
        Integer producerOfEither(int node, String operator) {
            List<String> both = inputs(node);
            if (both.size() != 2) {
                return null;
            }
            Integer first = producer(both.get(0), operator);
            return first != null ? first : producer(both.get(1), operator);
        }

        /** The node of this operator that is the only reader of the tensor, or null. */
        Integer onlyConsumer(String tensor, String operator) {
            List<Integer> readers = consumers.getOrDefault(tensor, List.of());
            return readers.size() == 1 && operator.equals(op(readers.get(0))) ? readers.get(0) : null;
        }

        /** The one reader of the tensor with this operator, the others being {@code Shape} nodes, or null. */
        Integer consumer(String tensor, String operator) {
            Integer found = null;
            for (int reader : consumers.getOrDefault(tensor, List.of())) {
                if (operator.equals(op(reader)) && found == null) {
                    found = reader;
                } else if (!"Shape".equals(op(reader))) {
                    return null;
                }
            }
            return found;
        }

        /** A float scalar constant's value, or null. */
        Float scalar(String tensor) {
            UnknownFieldSet constant = constants.get(tensor);
            if (constant == null || type(constant) != FLOAT || raw(constant).size() != 4) {
                return null;
            }
            return raw(constant).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getFloat();
        }

        /** Whether the node is a {@code Transpose} with this permutation. */
        boolean permutation(int node, long... perm) {
            if (!"Transpose".equals(op(node))) {
                return false;
            }
            for (ByteString attribute : nodes.get(node).getField(NODE_ATTRIBUTE).getLengthDelimitedList()) {
                UnknownFieldSet parsed = message(attribute);
                if ("perm".equals(string(parsed, ATTRIBUTE_NAME))) {
                    return Arrays.equals(longs(parsed.getField(ATTRIBUTE_INTS)), perm);
                }
            }
            return false;
        }

        /**
         * The product that makes one head-split operand of the attention: the tensor must be a {@code Transpose} with
         * this permutation of a {@code Reshape} of the output of a {@code MatMulIntegerToFloat}; null otherwise.
         */
        Integer head(String tensor, long... perm) {
            Integer transpose = producer(tensor, "Transpose");
            Integer reshape = transpose == null || !permutation(transpose, perm) ? null
                    : producer(input(transpose, 0), "Reshape");
            return reshape == null ? null : producer(input(reshape, 0), FUSED);
        }

        /**
         * The number of heads and their width, from the shape the operand's reshape takes: a {@code Concat} whose last
         * two parts are constants; null otherwise.
         */
        long[] heads(String tensor) {
            Integer transpose = producer(tensor, "Transpose");
            Integer reshape = transpose == null ? null : producer(input(transpose, 0), "Reshape");
            Integer shape = reshape == null ? null : producer(input(reshape, 1), "Concat");
            if (shape == null || inputs(shape).size() != 4) {
                return null;
            }
            UnknownFieldSet count = constants.get(input(shape, 2));
            UnknownFieldSet width = constants.get(input(shape, 3));
            if (count == null || width == null || type(count) != INT64 || type(width) != INT64
                    || raw(count).size() != 8 || raw(width).size() != 8) {
                return null;
            }
            return new long[] {raw(count).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getLong(),
                    raw(width).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getLong()};
        }

        /**
         * The value added to the scores of padding, if the mask is BERT's: {@code (1 - Cast(Unsqueeze(Unsqueeze(m))))}
         * times a negative constant, with {@code m} an input of the graph; null otherwise.
         */
        Float paddingMask(String tensor) {
            Integer scaled = producer(tensor, "Mul");
            Integer inverted = scaled == null ? null : producerOfEither(scaled, "Sub");
            Float filter = inverted == null ? null : scalar(other(inputs(scaled), output(inverted)));
            Float one = inverted == null ? null : scalar(input(inverted, 0));
            return filter != null && filter < 0 && one != null && one == 1f && maskInput(tensor) != null ? filter
                    : null;
        }

        /** The graph input the BERT mask ({@link #paddingMask}) is computed from, or null. */
        String maskInput(String tensor) {
            Integer scaled = producer(tensor, "Mul");
            Integer inverted = scaled == null ? null : producerOfEither(scaled, "Sub");
            Integer cast = inverted == null ? null : producer(input(inverted, 1), "Cast");
            Integer inner = cast == null ? null : producer(input(cast, 0), "Unsqueeze");
            Integer outer = inner == null ? null : producer(input(inner, 0), "Unsqueeze");
            return outer != null && inputs.contains(input(outer, 0)) ? input(outer, 0) : null;
        }
    }

    /** How many nodes of each operator the model has. */
    static Map<String, Integer> operators(byte[] model) {
        Map<String, Integer> counts = new TreeMap<>();
        for (UnknownFieldSet node : nodes(graph(parse(model)))) {
            counts.merge(string(node, NODE_OP), 1, Integer::sum);
        }
        return counts;
    }

    /** A node's integer attribute of this name, or null when it has none. */
    private static Long integer(UnknownFieldSet node, String name) {
        for (ByteString attribute : node.getField(NODE_ATTRIBUTE).getLengthDelimitedList()) {
            UnknownFieldSet parsed = message(attribute);
            if (name.equals(string(parsed, ATTRIBUTE_NAME)) && parsed.hasField(ATTRIBUTE_INT)) {
                return parsed.getField(ATTRIBUTE_INT).getVarintList().get(0);
            }
        }
        return null;
    }

    /** The input of a two-input node that is not this one. */
    private static String other(List<String> inputs, String one) {
        return inputs.size() != 2 ? null : inputs.get(0).equals(one) ? inputs.get(1) : inputs.get(0);
    }

    /** The model importing the {@code com.microsoft} operator set, which its fused operators belong to. */
    private static UnknownFieldSet importingMicrosoft(UnknownFieldSet model) {
        return importsMicrosoft(model) ? model : model.toBuilder().mergeField(MODEL_OPSET_IMPORT, bytes(
                UnknownFieldSet.newBuilder().addField(OPSET_DOMAIN, text(MICROSOFT)).addField(OPSET_VERSION, varint(1))
                        .build().toByteString())).build();
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

    /** A constant of this shape (none: a scalar), its elements given as little-endian bytes. */
    private static ByteString tensor(String name, int type, long[] dims, byte[] raw) {
        UnknownFieldSet.Builder tensor = UnknownFieldSet.newBuilder();
        if (dims.length > 0) {
            UnknownFieldSet.Field.Builder shape = UnknownFieldSet.Field.newBuilder();
            for (long dim : dims) {
                shape.addVarint(dim);
            }
            tensor.addField(TENSOR_DIMS, shape.build());
        }
        return tensor.addField(TENSOR_DATA_TYPE, varint(type)).addField(TENSOR_NAME, text(name))
                .addField(TENSOR_RAW_DATA, bytes(ByteString.copyFrom(raw))).build().toByteString();
    }

    /** A scalar constant. */
    private static ByteString tensor(String name, int type, byte[] raw) {
        return tensor(name, type, new long[0], raw);
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
