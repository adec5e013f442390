package dev.meridian.moderation.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnknownFieldSet;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * The rewrite of the shipped model's dynamic quantisation into a fixed one, the fusion of its integer products, and the
 * file of calibrated ranges.
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
        UnknownFieldSet model = parse(quantized);
        UnknownFieldSet graph = UnknownFieldSet.parseFrom(model.getField(7).getLengthDelimitedList().get(0));
        UnknownFieldSet.Field.Builder nodes = UnknownFieldSet.Field.newBuilder();
        boolean changed = false;
        for (ByteString bytes : graph.getField(1).getLengthDelimitedList()) {
            UnknownFieldSet node = UnknownFieldSet.parseFrom(bytes);
            if (!changed && "Cast".equals(node.getField(4).getLengthDelimitedList().get(0).toStringUtf8())
                    && node.getField(1).getLengthDelimitedList().get(0).toStringUtf8().endsWith("_output_quantized")) {
                UnknownFieldSet toDouble = UnknownFieldSet.newBuilder()
                        .addField(1, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("to"))
                                .build())
                        .addField(3, UnknownFieldSet.Field.newBuilder().addVarint(11).build())
                        .addField(20, UnknownFieldSet.Field.newBuilder().addVarint(2).build()).build();
                node = node.toBuilder().clearField(5)
                        .addField(5, UnknownFieldSet.Field.newBuilder().addLengthDelimited(toDouble.toByteString()).build())
                        .build();
                changed = true;
            }
            nodes.addLengthDelimited(node.toByteString());
        }
        assertTrue(changed);
        byte[] edited = model.toBuilder().clearField(7).addField(7, UnknownFieldSet.Field.newBuilder()
                .addLengthDelimited(graph.toBuilder().clearField(1).addField(1, nodes.build()).build().toByteString())
                .build()).build().toByteArray();
        Map<String, Integer> after = StaticQuantization.operators(StaticQuantization.fused(edited));
        assertEquals(71, after.get("MatMulIntegerToFloat"));
        assertEquals(1, after.get("MatMulInteger"));
        assertEquals(2, after.get("Cast"));
    }

    private static UnknownFieldSet parse(byte[] model) throws Exception {
        CodedInputStream in = CodedInputStream.newInstance(model);
        in.setSizeLimit(Integer.MAX_VALUE);
        return UnknownFieldSet.parseFrom(in);
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
