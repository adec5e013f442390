package dev.meridian.moderation.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import dev.meridian.moderation.builtin.onnx.Onnx.AttributeProto;
import dev.meridian.moderation.builtin.onnx.Onnx.ModelProto;
import dev.meridian.moderation.builtin.onnx.Onnx.NodeProto;
import dev.meridian.moderation.builtin.onnx.Onnx.TensorProto;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * The rewrite of the shipped model's dynamic quantisation into a fixed one, the fusion of its integer products and of
 * its self-attentions, and the file of calibrated ranges.
 */
class StaticQuantizationTest {

    @Test
    void everyDynamicQuantizationOfTheShippedModelBecomesAFixedOneFromTheCalibratedRanges() {
        byte[] shipped = Embedder.shippedModel();
        List<String> activations = StaticQuantization.activations(shipped);
        // BGE-small has 12 layers, each quantising the input of its query/key/value, attention output, intermediate
        // and output products
        assertEquals(48, activations.size());
        Map<String, float[]> ranges = StaticQuantization.ranges();
        assertEquals(activations, List.copyOf(ranges.keySet()));
        byte[] rewritten = StaticQuantization.apply(shipped, ranges);
        assertEquals(List.of(), StaticQuantization.activations(rewritten));
    }

    @Test
    void eachIntegerProductAndItsFloatArithmeticBecomeOneFusedOperatorThatComputesTheSame() throws OrtException {
        byte[] quantized = StaticQuantization.quantized(Embedder.shippedModel(), StaticQuantization.ranges());
        byte[] fused = StaticQuantization.fused(quantized);
        Map<String, Integer> before = StaticQuantization.operators(quantized);
        Map<String, Integer> after = StaticQuantization.operators(fused);
        // 12 layers of six products (query, key, value, attention output, intermediate, output); the one Cast and
        // Mul left are the attention mask's
        assertEquals(72, before.get("MatMulInteger"));
        assertEquals(73, before.get("Cast"));
        assertEquals(72, after.get("MatMulIntegerToFloat"));
        assertEquals(null, after.get("MatMulInteger"));
        assertEquals(1, after.get("Cast"));
        assertEquals(before.get("Mul") - 144, after.get("Mul"));
        assertEquals(before.get("Add") - 72, after.get("Add"));
        assertEquals(before.get("QuantizeLinear"), after.get("QuantizeLinear"));
        // fusing again changes nothing
        assertArrayEquals(fused, StaticQuantization.fused(fused));

        long[][] ids = {{101, 1045, 2097, 3102, 2017, 102, 0, 0}, {101, 1037, 4419, 1999, 1996, 3224, 1012, 102}};
        long[][] mask = {{1, 1, 1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1, 1, 1}};
        float[][][] unfusedStates = run(quantized, ids, mask);
        float[][][] fusedStates = run(fused, ids, mask);
        for (int row = 0; row < ids.length; row++) {
            float[] expected = unfusedStates[row][0];
            float[] actual = fusedStates[row][0];
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-4 * Math.max(1, Math.abs(expected[i])), "dimension " + i);
                dot += (double) expected[i] * actual[i];
                na += (double) expected[i] * expected[i];
                nb += (double) actual[i] * actual[i];
            }
            assertTrue(dot / Math.sqrt(na * nb) > 0.999999, "cosine " + dot / Math.sqrt(na * nb));
        }
    }

    @Test
    void aProductWhoseCastIsNotToFloatIsLeftUnfused() throws Exception {
        byte[] quantized = StaticQuantization.quantized(Embedder.shippedModel(), StaticQuantization.ranges());
        // the first product's cast made a cast to double (11): that product no longer has the fused operator's shape
        byte[] edited = withIntAttribute(quantized, node -> "Cast".equals(node.getOpType())
                && node.getInput(0).endsWith("_output_quantized"), "to", 11);
        Map<String, Integer> after = StaticQuantization.operators(StaticQuantization.fused(edited));
        assertEquals(71, after.get("MatMulIntegerToFloat"));
        assertEquals(1, after.get("MatMulInteger"));
        assertEquals(2, after.get("Cast"));
    }

    @Test
    void eachSelfAttentionBecomesOneOperatorThatComputesTheSame() throws Exception {
        byte[] fused = fusedModel();
        byte[] attended = StaticQuantization.attention(fused);
        Map<String, Integer> before = StaticQuantization.operators(fused);
        Map<String, Integer> after = StaticQuantization.operators(attended);
        // per layer, the query, key and value products, their four reshapes and four transposes, the two products of
        // the attention, its scaling, mask and softmax become one node; the mask's cast to float becomes one to int32
        assertEquals(72, before.get("MatMulIntegerToFloat"));
        assertEquals(12, before.get("Softmax"));
        assertEquals(48, before.get("Transpose"));
        assertEquals(12, after.get("QAttention"));
        assertEquals(36, after.get("MatMulIntegerToFloat"));
        for (String gone : List.of("Softmax", "Transpose", "Reshape", "MatMul", "Concat")) {
            assertEquals(null, after.get(gone), gone);
        }
        assertEquals(before.get("Div") - 12, after.get("Div"));
        assertEquals(before.get("Add") - 12, after.get("Add"));
        assertEquals(before.get("QuantizeLinear"), after.get("QuantizeLinear"));
        assertEquals(1, after.get("Cast"));
        // rewriting again changes nothing
        assertArrayEquals(attended, StaticQuantization.attention(attended));
        // the same integer products and the same float routines: every state of every real token is the same bit for
        // bit, in a padded row as in a full one
        assertSameStates(fused, attended);
    }

    @Test
    void anAttentionOfAnotherShapeIsLeftAsItIsAndTheModelStillComputesTheSame() throws Exception {
        byte[] fused = fusedModel();
        // the first layer's scores divided by a tensor that an Identity node makes, rather than by a constant
        String divisor = "/encoder/layer.0/attention/self/Constant_12_output_0";
        byte[] edited = edit(fused, (nodes, initializers) -> {
            List<NodeProto> result = new ArrayList<>();
            for (NodeProto node : nodes) {
                if ("Div".equals(node.getOpType()) && node.getInput(1).equals(divisor)) {
                    result.add(NodeProto.newBuilder().addInput(divisor).addOutput("divisor_copy").setName("divisor_copy")
                            .setOpType("Identity").build());
                    node = node.toBuilder().setInput(1, "divisor_copy").build();
                }
                result.add(node);
            }
            return result;
        });
        Map<String, Integer> after = StaticQuantization.operators(StaticQuantization.attention(edited));
        assertEquals(11, after.get("QAttention"));
        assertEquals(39, after.get("MatMulIntegerToFloat"));
        assertEquals(1, after.get("Softmax"));
        assertEquals(4, after.get("Transpose"));
        assertEquals(4, after.get("Reshape"));
        assertEquals(1, after.get("Identity"));
        // the attention left as it is still reads its mask, so the mask's float cast stays beside the int32 one
        assertEquals(2, after.get("Cast"));
        assertSameStates(fused, StaticQuantization.attention(edited));
    }

    @Test
    void anAttentionWhoseSoftmaxRunsOverAnotherAxisIsLeftAsItIs() throws Exception {
        // the first layer's softmax made one over the queries (axis 2) rather than the keys: not what QAttention computes
        byte[] edited = withIntAttribute(fusedModel(), node -> "Softmax".equals(node.getOpType()), "axis", 2);
        Map<String, Integer> after = StaticQuantization.operators(StaticQuantization.attention(edited));
        assertEquals(11, after.get("QAttention"));
        assertEquals(1, after.get("Softmax"));
        assertEquals(39, after.get("MatMulIntegerToFloat"));
    }

    @Test
    void weightZeroPointsThatAreNotZeroAreCarriedPerColumn() throws Exception {
        byte[] fused = fusedModel();
        // the first layer's query weights given zero points of -2..2, column by column
        String zeroPoint = "onnx::MatMul_1525_zero_point";
        byte[] shifted = new byte[384];
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] = (byte) (i % 5 - 2);
        }
        byte[] edited = edit(fused, (nodes, initializers) -> {
            for (int i = 0; i < initializers.size(); i++) {
                if (initializers.get(i).getName().equals(zeroPoint)) {
                    initializers.set(i, TensorProto.newBuilder().addDims(384)
                            .setDataType(TensorProto.DataType.INT8_VALUE).setName(zeroPoint)
                            .setRawData(ByteString.copyFrom(shifted)).build());
                }
            }
            return nodes;
        });
        byte[] attended = StaticQuantization.attention(edited);
        assertEquals(12, StaticQuantization.operators(attended).get("QAttention"));
        assertTrue(new String(attended, StandardCharsets.ISO_8859_1).contains("attention_0_weight_zero_point"));
        assertFalse(new String(attended, StandardCharsets.ISO_8859_1).contains("attention_1_weight_zero_point"));
        // the zero points change the first layer's queries, and so every state
        assertFalse(Arrays.equals(run(fused, IDS, MASK)[1][0], run(edited, IDS, MASK)[1][0]));
        assertSameStates(edited, attended);
    }

    /** The shipped model quantised with the calibrated ranges and its products fused: what the attention rewrite reads. */
    private static byte[] fusedModel() {
        return StaticQuantization.fused(StaticQuantization.quantized(Embedder.shippedModel(), StaticQuantization.ranges()));
    }

    private static final long[][] IDS = {{101, 1045, 2097, 3102, 2017, 102, 0, 0},
            {101, 1037, 4419, 1999, 1996, 3224, 1012, 102}};
    private static final long[][] MASK = {{1, 1, 1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1, 1, 1}};

    /** Every hidden state of every real token (not padding) of the two models on {@link #IDS} is the same. */
    private static void assertSameStates(byte[] expectedModel, byte[] actualModel) throws OrtException {
        float[][][] expected = run(expectedModel, IDS, MASK);
        float[][][] actual = run(actualModel, IDS, MASK);
        for (int row = 0; row < IDS.length; row++) {
            for (int token = 0; token < IDS[row].length; token++) {
                if (MASK[row][token] == 1) {
                    assertArrayEquals(expected[row][token], actual[row][token], "row " + row + ", token " + token);
                }
            }
        }
    }

    /**
     * The model with the first node that {@code which} picks given one integer attribute, {@code name} = {@code value},
     * in place of its own attributes.
     */
    private static byte[] withIntAttribute(byte[] model, Predicate<NodeProto> which, String name, long value) {
        return edit(model, (nodes, initializers) -> {
            List<NodeProto> result = new ArrayList<>();
            boolean changed = false;
            for (NodeProto node : nodes) {
                if (!changed && which.test(node)) {
                    node = node.toBuilder().clearAttribute().addAttribute(AttributeProto.newBuilder().setName(name)
                            .setI(value).setType(AttributeProto.AttributeType.INT)).build();
                    changed = true;
                }
                result.add(node);
            }
            assertTrue(changed);
            return result;
        });
    }

    /** The model with its graph's node list and initializer list edited. */
    private static byte[] edit(byte[] model, BiFunction<List<NodeProto>, List<TensorProto>, List<NodeProto>> editor) {
        ModelProto parsed = StaticQuantization.parse(model);
        List<TensorProto> initializers = new ArrayList<>(parsed.getGraph().getInitializerList());
        List<NodeProto> nodes = editor.apply(new ArrayList<>(parsed.getGraph().getNodeList()), initializers);
        return parsed.toBuilder().setGraph(parsed.getGraph().toBuilder().clearNode().addAllNode(nodes)
                .clearInitializer().addAllInitializer(initializers)).build().toByteArray();
    }

    private static float[][][] run(byte[] model, long[][] ids, long[][] mask) throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = environment.createSession(model, options);
                    OnnxTensor idTensor = OnnxTensor.createTensor(environment, ids);
                    OnnxTensor maskTensor = OnnxTensor.createTensor(environment, mask);
                    OnnxTensor types = OnnxTensor.createTensor(environment, new long[ids.length][ids[0].length]);
                    OrtSession.Result result = session.run(Map.of("input_ids", idTensor, "attention_mask", maskTensor,
                            "token_type_ids", types))) {
                return (float[][][]) result.get(0).getValue();
            }
        }
    }

    @Test
    void theScaleAndZeroPointMapTheRangeWithZeroOntoAByte() {
        // -1..3 is 4 wide: 255 steps of 4/255, and 0 at step 63.75, rounded
        assertArrayEquals(new float[] {4f / 255, 64}, StaticQuantization.quantization(new float[] {-1, 3}));
        // a range that does not reach 0 is widened to it, as DynamicQuantizeLinear does
        assertArrayEquals(new float[] {2f / 255, 0}, StaticQuantization.quantization(new float[] {1, 2}));
        assertArrayEquals(new float[] {2f / 255, 255}, StaticQuantization.quantization(new float[] {-2, -1}));
        assertThrows(IllegalArgumentException.class, () -> StaticQuantization.quantization(new float[] {0, 0}));
    }

    @Test
    void rangesMeasuredOnAnotherModelAreRefused() {
        byte[] shipped = Embedder.shippedModel();
        Map<String, float[]> ranges = new LinkedHashMap<>(StaticQuantization.ranges());
        String first = ranges.keySet().iterator().next();
        ranges.remove(first);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> StaticQuantization.apply(shipped, ranges));
        assertEquals("No calibrated range for the activation '" + first + "'", missing.getMessage());
        ranges.put(first, new float[] {-1, 1});
        ranges.put("/not/in/this/model", new float[] {-1, 1});
        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class,
                () -> StaticQuantization.apply(shipped, ranges));
        assertEquals("49 calibrated ranges for 48 dynamically quantised activations: the ranges were measured on"
                + " another model", extra.getMessage());
    }
}
