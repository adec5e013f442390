package dev.meridian.moderation.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The rewrite of the shipped model's dynamic quantisation into a fixed one, and the file of calibrated ranges. */
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
