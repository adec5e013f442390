package dev.meridian.moderation.builtin;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.meridian.moderation.builtin.onnx.Onnx.AttributeProto;
import dev.meridian.moderation.builtin.onnx.Onnx.GraphProto;
import dev.meridian.moderation.builtin.onnx.Onnx.ModelProto;
import dev.meridian.moderation.builtin.onnx.Onnx.NodeProto;
import dev.meridian.moderation.builtin.onnx.Onnx.OperatorSetIdProto;
import dev.meridian.moderation.builtin.onnx.Onnx.TensorProto;
import dev.meridian.moderation.builtin.onnx.Onnx.TensorShapeProto;
import dev.meridian.moderation.builtin.onnx.Onnx.TypeProto;
import dev.meridian.moderation.builtin.onnx.Onnx.ValueInfoProto;

/**
 * Writes a Keras model saved by TensorFlow.js (the {@code modelTopology} of its {@code model.json}, and its weights)
 * as an ONNX graph that ONNX Runtime runs. It knows the layers of a MobileNetV2 classifier: {@code InputLayer},
 * {@code ZeroPadding2D}, {@code Conv2D}, {@code DepthwiseConv2D}, {@code BatchNormalization}, {@code ReLU},
 * {@code Add}, {@code AveragePooling2D}, {@code Flatten}, {@code Dense} and {@code Dropout} (the identity at
 * inference); any other layer or option is refused by name. The graph takes {@code input}, a float tensor
 * {@code [1, height, width, 3]} in channels-last order as Keras does, and computes in channels-first order as ONNX
 * does, so kernels are transposed once here.
 * <p>
 * The ONNX messages (IR version 8, opset 13) are built with the classes protoc generates from
 * {@code src/main/protobuf/onnx.proto}.
 */
final class KerasOnnx {

    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    private static final int INT64 = TensorProto.DataType.INT64_VALUE;

    /** A weight: its shape as Keras stores it, and its values in row-major order. */
    record Weight(long[] shape, float[] values) {
    }

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Map<String, String> outputs = new HashMap<>();
    private final Map<String, Weight> weights;

    private KerasOnnx(Map<String, Weight> weights) {
        this.weights = weights;
    }

    /**
     * The ONNX model of {@code topology} (the {@code modelTopology} object) with {@code weights} by name
     * ({@code "<layer>/kernel"} and so on), whose input layer must take images of {@code size x size} RGB pixels; its
     * output is the model's output layer's.
     */
    static byte[] convert(JsonNode topology, Map<String, Weight> weights, int size) {
        KerasOnnx converter = new KerasOnnx(weights);
        JsonNode config = topology.path("model_config").path("config");
        for (JsonNode layer : config.path("layers")) {
            converter.layer(layer, size);
        }
        String output = converter.output(config.path("output_layers").path(0).path(0).asText());
        int classes = weights.get(config.path("output_layers").path(0).path(0).asText() + "/bias").values().length;
        GraphProto graph = converter.graph.setName("keras").addInput(valueInfo("input", 1, size, size, 3))
                .addOutput(valueInfo(output, 1, classes)).build();
        return ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).setGraph(graph).build()
                .toByteArray();
    }

    private void layer(JsonNode layer, int size) {
        String type = layer.path("class_name").asText();
        String name = layer.path("name").asText();
        JsonNode c = layer.path("config");
        switch (type) {
            case "InputLayer" -> {
                String shape = c.path("batch_input_shape").toString();
                if (!shape.equals("[null," + size + "," + size + ",3]")) {
                    throw unsupported(name, "takes " + shape + ", not [null," + size + "," + size + ",3]");
                }
                node("Transpose", name, List.of("input"), ints("perm", 0, 3, 1, 2));
            }
            case "ZeroPadding2D" -> {
                JsonNode p = c.path("padding");
                requireChannelsLast(name, c);
                graph.addInitializer(longs(name + "/pads", 0, 0, p.path(0).path(0).asLong(), p.path(1).path(0).asLong(), 0,
                        0, p.path(0).path(1).asLong(), p.path(1).path(1).asLong()));
                node("Pad", name, List.of(input(layer, 0), name + "/pads"));
            }
            case "Conv2D", "DepthwiseConv2D" -> convolution(layer, type.equals("DepthwiseConv2D"));
            case "BatchNormalization" -> {
                if (c.path("axis").asInt() != -1 && c.path("axis").asInt() != 3) {
                    throw unsupported(name, "normalises axis " + c.path("axis"));
                }
                List<String> inputs = new ArrayList<>(List.of(input(layer, 0)));
                for (String part : List.of("gamma", "beta", "moving_mean", "moving_variance")) {
                    inputs.add(weight(name + "/" + part));
                }
                node("BatchNormalization", name, inputs, floatAttribute("epsilon", (float) c.path("epsilon").asDouble()));
            }
            case "ReLU" -> {
                if (c.path("negative_slope").asDouble() != 0 || c.path("threshold").asDouble() != 0) {
                    throw unsupported(name, "has a negative slope or a threshold");
                }
                if (c.path("max_value").isNull() || c.path("max_value").isMissingNode()) {
                    node("Relu", name, List.of(input(layer, 0)));
                } else {
                    graph.addInitializer(floats(name + "/min", new long[0], new float[] {0}));
                    graph.addInitializer(floats(name + "/max", new long[0], new float[] {(float) c.path("max_value").asDouble()}));
                    node("Clip", name, List.of(input(layer, 0), name + "/min", name + "/max"));
                }
            }
            case "Add" -> {
                List<String> inputs = new ArrayList<>();
                for (int i = 0; i < layer.path("inbound_nodes").path(0).size(); i++) {
                    inputs.add(input(layer, i));
                }
                node("Add", name, inputs);
            }
            case "AveragePooling2D" -> {
                requireChannelsLast(name, c);
                if (!c.path("padding").asText().equals("valid")) {
                    throw unsupported(name, "pads");
                }
                node("AveragePool", name, List.of(input(layer, 0)), pair("kernel_shape", c.path("pool_size")),
                        pair("strides", c.path("strides")));
            }
            // a 1x1 feature map flattens to the same order whether channels come first or last
            case "Flatten" -> node("Flatten", name, List.of(input(layer, 0)), intAttribute("axis", 1));
            case "Dropout" -> outputs.put(name, input(layer, 0));
            case "Dense" -> {
                String linear = name + "/linear";
                node("Gemm", linear, List.of(input(layer, 0), weight(name + "/kernel"),
                        weight(name + "/bias")));
                activation(name, linear, c.path("activation").asText());
            }
            default -> throw unsupported(name, "is a " + type);
        }
    }

    private void convolution(JsonNode layer, boolean depthwise) {
        String name = layer.path("name").asText();
        JsonNode c = layer.path("config");
        requireChannelsLast(name, c);
        if (depthwise && c.path("depth_multiplier").asInt(1) != 1) {
            throw unsupported(name, "has a depth multiplier");
        }
        if (c.path("dilation_rate").path(0).asInt(1) != 1 || c.path("dilation_rate").path(1).asInt(1) != 1) {
            throw unsupported(name, "is dilated");
        }
        String key = name + (depthwise ? "/depthwise_kernel" : "/kernel");
        Weight kernel = weights.get(key);
        if (kernel == null) {
            throw new IllegalArgumentException("the weights have no " + key);
        }
        int kh = (int) kernel.shape[0];
        int kw = (int) kernel.shape[1];
        int in = (int) kernel.shape[2];
        int out = (int) kernel.shape[3];
        // Keras keeps [kh, kw, in, out] (a depthwise kernel [kh, kw, channels, 1]); ONNX wants [out, in/group, kh, kw]
        int outChannels = depthwise ? in : out;
        int inPerGroup = depthwise ? 1 : in;
        float[] transposed = new float[kernel.values.length];
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < out; o++) {
                        int to = depthwise ? i : o;
                        int ti = depthwise ? 0 : i;
                        transposed[((to * inPerGroup + ti) * kh + y) * kw + x] = kernel.values[((y * kw + x) * in + i) * out + o];
                    }
                }
            }
        }
        graph.addInitializer(floats(key, new long[] {outChannels, inPerGroup, kh, kw}, transposed));
        List<String> inputs = new ArrayList<>(List.of(input(layer, 0), key));
        if (c.path("use_bias").asBoolean()) {
            inputs.add(weight(name + "/bias"));
        }
        long strideY = c.path("strides").path(0).asLong();
        long strideX = c.path("strides").path(1).asLong();
        String padding = c.path("padding").asText();
        long padY = 0;
        long padX = 0;
        if (padding.equals("same")) {
            // TensorFlow pads "same" by (k - 1) / 2 on each side when the stride is 1 and the kernel odd
            if (strideY != 1 || strideX != 1 || kh % 2 == 0 || kw % 2 == 0) {
                throw unsupported(name, "pads 'same' with a stride or an even kernel");
            }
            padY = (kh - 1) / 2;
            padX = (kw - 1) / 2;
        } else if (!padding.equals("valid")) {
            throw unsupported(name, "pads '" + padding + "'");
        }
        String conv = name + "/conv";
        node("Conv", conv, inputs, ints("kernel_shape", kh, kw), ints("strides", strideY, strideX),
                ints("pads", padY, padX, padY, padX), intAttribute("group", depthwise ? in : 1));
        activation(name, conv, c.path("activation").asText());
    }

    /** Names {@code name}'s output after its activation applied to {@code linear}. */
    private void activation(String name, String linear, String activation) {
        switch (activation) {
            case "linear" -> outputs.put(name, linear);
            case "relu" -> node("Relu", name, List.of(linear));
            case "softmax" -> node("Softmax", name, List.of(linear), intAttribute("axis", 1));
            default -> throw unsupported(name, "has the activation " + activation);
        }
    }

    private static void requireChannelsLast(String name, JsonNode config) {
        String format = config.path("data_format").asText("channels_last");
        if (!format.equals("channels_last")) {
            throw unsupported(name, "is " + format);
        }
    }

    private static IllegalArgumentException unsupported(String layer, String what) {
        return new IllegalArgumentException("layer " + layer + " " + what + ", which this converter does not handle");
    }

    /** The output that the {@code i}th inbound connection of {@code layer} reads. */
    private String input(JsonNode layer, int i) {
        return output(layer.path("inbound_nodes").path(0).path(i).path(0).asText());
    }

    private String output(String layer) {
        return outputs.getOrDefault(layer, layer);
    }

    /** Adds the weight {@code key} as an initializer with its Keras shape and returns its name. */
    private String weight(String key) {
        Weight w = weights.get(key);
        if (w == null) {
            throw new IllegalArgumentException("the weights have no " + key);
        }
        graph.addInitializer(floats(key, w.shape, w.values));
        return key;
    }

    private void node(String op, String name, List<String> inputs, AttributeProto... attributes) {
        outputs.put(name, name);
        graph.addNode(NodeProto.newBuilder().addAllInput(inputs).addOutput(name).setName(name).setOpType(op)
                .addAllAttribute(List.of(attributes)));
    }

    private static AttributeProto pair(String name, JsonNode values) {
        return ints(name, values.path(0).asLong(), values.path(1).asLong());
    }

    private static AttributeProto ints(String name, long... values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
                .addAllInts(Arrays.stream(values).boxed().toList()).build();
    }

    private static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto floatAttribute(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    private static TensorProto floats(String name, long[] dims, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        return StaticQuantization.tensor(name, FLOAT, dims, raw.array());
    }

    private static TensorProto longs(String name, long... values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            raw.putLong(v);
        }
        return StaticQuantization.tensor(name, INT64, new long[] {values.length}, raw.array());
    }

    private static ValueInfoProto valueInfo(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(FLOAT).setShape(shape))).build();
    }
}
