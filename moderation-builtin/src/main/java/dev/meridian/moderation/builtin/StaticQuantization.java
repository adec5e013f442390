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

import dev.meridian.moderation.builtin.onnx.Onnx;
import dev.meridian.moderation.builtin.onnx.Onnx.AttributeProto;
import dev.meridian.moderation.builtin.onnx.Onnx.GraphProto;
import dev.meridian.moderation.builtin.onnx.Onnx.ModelProto;
import dev.meridian.moderation.builtin.onnx.Onnx.NodeProto;
import dev.meridian.moderation.builtin.onnx.Onnx.OperatorSetIdProto;
import dev.meridian.moderation.builtin.onnx.Onnx.TensorProto;
import dev.meridian.moderation.builtin.onnx.Onnx.TypeProto;
import dev.meridian.moderation.builtin.onnx.Onnx.ValueInfoProto;

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
 * The ONNX messages are read and written with the classes protoc generates from {@code src/main/protobuf/onnx.proto}
 * ({@link Onnx}); what that file does not declare is carried through unchanged.
 */
public final class StaticQuantization {

    /** Where the calibrated ranges are on the classpath. */
    public static final String RANGES = "/builtin/activation-ranges.tsv";

    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    private static final int UINT8 = TensorProto.DataType.UINT8_VALUE;
    private static final int INT8 = TensorProto.DataType.INT8_VALUE;
    private static final int INT32 = TensorProto.DataType.INT32_VALUE;
    private static final int INT64 = TensorProto.DataType.INT64_VALUE;

    private static final String DYNAMIC = "DynamicQuantizeLinear";
    private static final String ATTENTION = "QAttention";
    private static final String FUSED = "MatMulIntegerToFloat";
    private static final String MICROSOFT = "com.microsoft";

    private StaticQuantization() {
    }

    /** The activations the model quantises dynamically: the input of each {@code DynamicQuantizeLinear}, in order. */
    public static List<String> activations(byte[] model) {
        return parse(model).getGraph().getNodeList().stream().filter(node -> DYNAMIC.equals(node.getOpType()))
                .map(node -> node.getInput(0)).toList();
    }

    /** The model with these intermediate tensors (float) added to its outputs, so a calibration run can read them. */
    public static byte[] exposing(byte[] model, List<String> tensors) {
        ModelProto parsed = parse(model);
        GraphProto.Builder graph = parsed.getGraph().toBuilder();
        for (String tensor : tensors) {
            graph.addOutput(ValueInfoProto.newBuilder().setName(tensor).setType(TypeProto.newBuilder()
                    .setTensorType(TypeProto.Tensor.newBuilder().setElemType(FLOAT))));
        }
        return parsed.toBuilder().setGraph(graph).build().toByteArray();
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
        ModelProto parsed = parse(model);
        GraphProto.Builder graph = parsed.getGraph().toBuilder().clearNode();
        int replaced = 0;
        for (NodeProto node : parsed.getGraph().getNodeList()) {
            if (!DYNAMIC.equals(node.getOpType())) {
                graph.addNode(node);
                continue;
            }
            String input = node.getInput(0);
            float[] range = ranges.get(input);
            if (range == null) {
                throw new IllegalArgumentException("No calibrated range for the activation '" + input + "'");
            }
            float[] quantization = quantization(range);
            graph.addInitializer(tensor(node.getOutput(1), FLOAT, new long[0],
                    ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(quantization[0]).array()));
            graph.addInitializer(tensor(node.getOutput(2), UINT8, new long[0], new byte[] {(byte) quantization[1]}));
            graph.addNode(NodeProto.newBuilder().addInput(input).addInput(node.getOutput(1)).addInput(node.getOutput(2))
                    .addOutput(node.getOutput(0)).setName("static_quantization_" + replaced++)
                    .setOpType("QuantizeLinear"));
        }
        if (replaced != ranges.size()) {
            throw new IllegalArgumentException(ranges.size() + " calibrated ranges for " + replaced
                    + " dynamically quantised activations: the ranges were measured on another model");
        }
        return parsed.toBuilder().setGraph(graph).build().toByteArray();
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
        ModelProto parsed = parse(model);
        Graph g = new Graph(parsed.getGraph());
        Map<Integer, NodeProto> fused = new HashMap<>();
        Set<Integer> removed = new HashSet<>();
        for (int i = 0; i < g.nodes.size(); i++) {
            List<String> operands = g.inputs(i);
            if (!"MatMulInteger".equals(g.op(i)) || operands.size() != 4) {
                continue;
            }
            Integer cast = g.onlyConsumer(g.output(i), "Cast");
            if (cast != null && !Long.valueOf(FLOAT).equals(integer(g.nodes.get(cast), "to"))) {
                cast = null;
            }
            Integer scaling = cast == null ? null : g.onlyConsumer(g.output(cast), "Mul");
            if (scaling == null) {
                continue;
            }
            String scale = other(g.inputs(scaling), g.output(cast));
            Integer scales = g.producer(scale, "Mul");
            Integer bias = g.onlyConsumer(g.output(scaling), "Add");
            if (scales == null || g.onlyConsumer(scale, "Mul") == null || bias == null) {
                continue;
            }
            List<String> scaleFactors = g.inputs(scales);
            String biasTensor = other(g.inputs(bias), g.output(scaling));
            if (scaleFactors.size() != 2 || g.constant(biasTensor) == null) {
                continue;
            }
            fused.put(i, NodeProto.newBuilder()
                    .addAllInput(List.of(operands.get(0), operands.get(1), scaleFactors.get(0), scaleFactors.get(1),
                            operands.get(2), operands.get(3), biasTensor))
                    .addOutput(g.output(bias)).setName("fused_product_" + fused.size()).setOpType(FUSED)
                    .setDomain(MICROSOFT).build());
            removed.addAll(List.of(cast, scaling, scales, bias));
        }
        if (fused.isEmpty()) {
            return model;
        }
        GraphProto.Builder graph = parsed.getGraph().toBuilder().clearNode();
        for (int i = 0; i < g.nodes.size(); i++) {
            if (fused.containsKey(i)) {
                graph.addNode(fused.get(i));
            } else if (!removed.contains(i)) {
                graph.addNode(g.nodes.get(i));
            }
        }
        return importingMicrosoft(parsed).setGraph(graph).build().toByteArray();
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
        ModelProto parsed = parse(model);
        Graph g = new Graph(parsed.getGraph());
        String maskInput = null;
        Map<Integer, NodeProto> replaced = new HashMap<>();
        GraphProto.Builder graph = parsed.getGraph().toBuilder();
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
            TensorProto[] weights = {g.constant(q.get(1)), g.constant(k.get(1)), g.constant(v.get(1))};
            TensorProto[] biases = {g.constant(q.get(6)), g.constant(k.get(6)), g.constant(v.get(6))};
            TensorProto[] scales = {g.constant(q.get(3)), g.constant(k.get(3)), g.constant(v.get(3))};
            TensorProto[] zeros = {g.constant(q.get(5)), g.constant(k.get(5)), g.constant(v.get(5))};
            long hidden = heads[0] * heads[1];
            if (!matrices(weights, hidden) || !vectors(biases, FLOAT, hidden) || !perTensorOrColumn(scales, FLOAT, hidden)
                    || !perTensorOrColumn(zeros, INT8, hidden)) {
                continue;
            }
            String prefix = "attention_" + replaced.size();
            graph.addInitializer(tensor(prefix + "_weight", INT8, new long[] {weights[0].getDims(0), 3 * hidden},
                    interleaved(weights, hidden)));
            graph.addInitializer(tensor(prefix + "_bias", FLOAT, new long[] {3 * hidden}, columns(biases, hidden)));
            graph.addInitializer(tensor(prefix + "_weight_scale", FLOAT, new long[] {3 * hidden},
                    columns(scales, hidden)));
            byte[] zeroPoints = columns(zeros, hidden);
            NodeProto.Builder attention = NodeProto.newBuilder().addAllInput(List.of(q.get(0), prefix + "_weight",
                    prefix + "_bias", q.get(2), prefix + "_weight_scale", mask, q.get(4)));
            if (!Arrays.equals(zeroPoints, new byte[zeroPoints.length])) {
                graph.addInitializer(tensor(prefix + "_weight_zero_point", INT8, new long[] {3 * hidden}, zeroPoints));
                attention.addInput(prefix + "_weight_zero_point");
            }
            replaced.put(reshape, attention.addOutput(g.output(reshape)).setName(prefix).setOpType(ATTENTION)
                    .setDomain(MICROSOFT).addAttribute(intAttribute("num_heads", heads[0]))
                    .addAttribute(floatAttribute("scale", 1f / divisor))
                    .addAttribute(floatAttribute("mask_filter_value", filter)).build());
            maskInput = padding;
        }
        if (replaced.isEmpty()) {
            return model;
        }
        graph.clearNode().addNode(NodeProto.newBuilder().addInput(maskInput).addOutput(mask).setName(mask)
                .setOpType("Cast").addAttribute(intAttribute("to", INT32)));
        for (int i = 0; i < g.nodes.size(); i++) {
            graph.addNode(replaced.getOrDefault(i, g.nodes.get(i)));
        }
        return importingMicrosoft(parsed).setGraph(live(graph.build())).build().toByteArray();
    }

    /** The graph without the nodes whose outputs nothing reads, and without the constants no node reads. */
    private static GraphProto live(GraphProto graph) {
        List<NodeProto> nodes = graph.getNodeList();
        Set<String> needed = new HashSet<>();
        for (ValueInfoProto output : graph.getOutputList()) {
            needed.add(output.getName());
        }
        boolean[] kept = new boolean[nodes.size()];
        for (boolean grew = true; grew;) {
            grew = false;
            for (int i = nodes.size() - 1; i >= 0; i--) {
                if (kept[i]) {
                    continue;
                }
                for (String output : nodes.get(i).getOutputList()) {
                    kept[i] |= needed.contains(output);
                }
                if (kept[i]) {
                    grew = true;
                    needed.addAll(nodes.get(i).getInputList());
                }
            }
        }
        GraphProto.Builder live = graph.toBuilder().clearNode().clearInitializer();
        for (int i = 0; i < nodes.size(); i++) {
            if (kept[i]) {
                live.addNode(nodes.get(i));
            }
        }
        for (TensorProto initializer : graph.getInitializerList()) {
            if (needed.contains(initializer.getName())) {
                live.addInitializer(initializer);
            }
        }
        return live.build();
    }

    /** Whether these are weight matrices of the same shape, int8, {@code hidden} columns wide. */
    private static boolean matrices(TensorProto[] tensors, long hidden) {
        for (TensorProto tensor : tensors) {
            if (tensor == null || tensor.getDimsCount() != 2 || tensor.getDims(1) != hidden
                    || !tensor.getDimsList().equals(tensors[0].getDimsList()) || tensor.getDataType() != INT8
                    || !tensor.hasRawData()) {
                return false;
            }
        }
        return true;
    }

    /** Whether these are constants of this element type with this many elements each. */
    private static boolean vectors(TensorProto[] tensors, int type, long elements) {
        for (TensorProto tensor : tensors) {
            if (tensor == null || tensor.getDataType() != type || raw(tensor).size() != elements * size(type)) {
                return false;
            }
        }
        return true;
    }

    /** Whether these are constants of this element type, each one value or one per column. */
    private static boolean perTensorOrColumn(TensorProto[] tensors, int type, long columns) {
        for (TensorProto tensor : tensors) {
            if (!vectors(new TensorProto[] {tensor}, type, 1) && !vectors(new TensorProto[] {tensor}, type, columns)) {
                return false;
            }
        }
        return true;
    }

    /** The rows of the three matrices side by side: row r is row r of the first, then of the second, then the third. */
    private static byte[] interleaved(TensorProto[] matrices, long hidden) {
        int width = Math.toIntExact(hidden);
        int rows = Math.toIntExact(matrices[0].getDims(0));
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
    private static byte[] columns(TensorProto[] tensors, long columns) {
        ByteString joined = ByteString.EMPTY;
        for (TensorProto tensor : tensors) {
            ByteString values = raw(tensor);
            for (long i = values.size() == size(tensor.getDataType()) ? columns : 1; i > 0; i--) {
                joined = joined.concat(values);
            }
        }
        return joined.toByteArray();
    }

    private static int size(int type) {
        return type == FLOAT || type == INT32 ? 4 : type == INT64 ? 8 : 1;
    }

    /** A tensor's elements as little-endian bytes, whether it stores them raw or typed. */
    private static ByteString raw(TensorProto tensor) {
        if (tensor.hasRawData()) {
            return tensor.getRawData();
        }
        int type = tensor.getDataType();
        ByteBuffer buffer;
        if (type == FLOAT) {
            buffer = ByteBuffer.allocate(4 * tensor.getFloatDataCount()).order(ByteOrder.LITTLE_ENDIAN);
            tensor.getFloatDataList().forEach(buffer::putFloat);
        } else if (type == INT64) {
            buffer = ByteBuffer.allocate(8 * tensor.getInt64DataCount()).order(ByteOrder.LITTLE_ENDIAN);
            tensor.getInt64DataList().forEach(buffer::putLong);
        } else {
            // ONNX keeps the elements of every narrower integer type in int32_data
            buffer = ByteBuffer.allocate(size(type) * tensor.getInt32DataCount()).order(ByteOrder.LITTLE_ENDIAN);
            for (int value : tensor.getInt32DataList()) {
                if (size(type) == 4) {
                    buffer.putInt(value);
                } else {
                    buffer.put((byte) value);
                }
            }
        }
        return ByteString.copyFrom(buffer.array());
    }

    private static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setI(value).setType(AttributeProto.AttributeType.INT).build();
    }

    private static AttributeProto floatAttribute(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setF(value).setType(AttributeProto.AttributeType.FLOAT)
                .build();
    }

    /** A graph's nodes with who produces and who reads each tensor, its constants, and its inputs. */
    private static final class Graph {

        final List<NodeProto> nodes;
        private final Map<String, Integer> producers = new HashMap<>();
        private final Map<String, List<Integer>> consumers = new HashMap<>();
        private final Map<String, TensorProto> constants = new HashMap<>();
        private final Set<String> inputs = new HashSet<>();

        Graph(GraphProto graph) {
            nodes = graph.getNodeList();
            for (TensorProto initializer : graph.getInitializerList()) {
                constants.put(initializer.getName(), initializer);
            }
            for (ValueInfoProto input : graph.getInputList()) {
                inputs.add(input.getName());
            }
            for (int i = 0; i < nodes.size(); i++) {
                for (String output : nodes.get(i).getOutputList()) {
                    producers.put(output, i);
                }
                for (String input : nodes.get(i).getInputList()) {
                    consumers.computeIfAbsent(input, name -> new ArrayList<>()).add(i);
                }
                if ("Constant".equals(op(i))) {
                    for (AttributeProto attribute : nodes.get(i).getAttributeList()) {
                        if ("value".equals(attribute.getName()) && attribute.hasT()) {
                            constants.put(output(i), attribute.getT());
                        }
                    }
                }
            }
        }

        String op(int node) {
            return nodes.get(node).getOpType();
        }

        List<String> inputs(int node) {
            return nodes.get(node).getInputList();
        }

        String input(int node, int index) {
            List<String> all = inputs(node);
            return index < all.size() ? all.get(index) : "";
        }

        String output(int node) {
            return nodes.get(node).getOutput(0);
        }

        /** The constant (an initializer or a {@code Constant} node's value) of this name, or null. */
        TensorProto constant(String name) {
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
            TensorProto constant = constants.get(tensor);
            if (constant == null || constant.getDataType() != FLOAT || raw(constant).size() != 4) {
                return null;
            }
            return raw(constant).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getFloat();
        }

        /** Whether the node is a {@code Transpose} with this permutation. */
        boolean permutation(int node, long... perm) {
            if (!"Transpose".equals(op(node))) {
                return false;
            }
            for (AttributeProto attribute : nodes.get(node).getAttributeList()) {
                if ("perm".equals(attribute.getName())) {
                    return Arrays.equals(attribute.getIntsList().stream().mapToLong(Long::longValue).toArray(), perm);
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
            TensorProto count = constants.get(input(shape, 2));
            TensorProto width = constants.get(input(shape, 3));
            if (count == null || width == null || count.getDataType() != INT64 || width.getDataType() != INT64
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
        for (NodeProto node : parse(model).getGraph().getNodeList()) {
            counts.merge(node.getOpType(), 1, Integer::sum);
        }
        return counts;
    }

    /** A node's integer attribute of this name, or null when it has none. */
    private static Long integer(NodeProto node, String name) {
        for (AttributeProto attribute : node.getAttributeList()) {
            if (name.equals(attribute.getName()) && attribute.hasI()) {
                return attribute.getI();
            }
        }
        return null;
    }

    /** The input of a two-input node that is not this one. */
    private static String other(List<String> inputs, String one) {
        return inputs.size() != 2 ? null : inputs.get(0).equals(one) ? inputs.get(1) : inputs.get(0);
    }

    /** The model importing the {@code com.microsoft} operator set, which its fused operators belong to. */
    private static ModelProto.Builder importingMicrosoft(ModelProto model) {
        ModelProto.Builder builder = model.toBuilder();
        if (model.getOpsetImportList().stream().noneMatch(opset -> MICROSOFT.equals(opset.getDomain()))) {
            builder.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(MICROSOFT).setVersion(1));
        }
        return builder;
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

    /** The ONNX model in these bytes, however large (protobuf's default limit is below some models' size). */
    static ModelProto parse(byte[] model) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(model);
            in.setSizeLimit(Integer.MAX_VALUE);
            return ModelProto.parseFrom(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("Not an ONNX model", e);
        }
    }

    /** A constant of this shape (none: a scalar), its elements given as little-endian bytes. */
    static TensorProto tensor(String name, int type, long[] dims, byte[] raw) {
        return TensorProto.newBuilder().addAllDims(Arrays.stream(dims).boxed().toList()).setDataType(type).setName(name)
                .setRawData(ByteString.copyFrom(raw)).build();
    }
}
