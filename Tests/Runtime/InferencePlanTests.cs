using System.Text.Json.Nodes;
using KerasPort.Converters.Keras;

namespace KerasPort.Tests.Runtime;

/// <summary>
/// <c>Predict</c> runs the inference plan (folded BatchNormalizations, packed convolutions, activations in place, a
/// residual Add computed into its shortcut, intermediates freed early); <c>Trace</c> runs every layer as written. Both
/// must agree, also where the plan may not overwrite a tensor (a shortcut that is also a model output) and for NaN.
/// </summary>
public sealed class InferencePlanTests
{
    /// <summary>
    /// A ResNet-style block: conv1 (3x3) -> BN -> ReLU = r; conv2 (1x1) -> BN -> ReLU -> conv3 (3x3) -> BN -> Add(., r)
    /// -> ReLU; with <paramref name="shortcutIsOutput"/> r is also a model output, so the Add must not be computed into it.
    /// <paramref name="middleActivation"/> replaces the second ReLU (swish runs as oneDNN's post-op), and
    /// <paramref name="dropoutBeforeAdd"/> puts a Dropout between the last BatchNormalization and the Add, as
    /// EfficientNet has it.
    /// </summary>
    static KerasModel ResidualBlock(bool shortcutIsOutput, string middleActivation = "relu", bool dropoutBeforeAdd = false)
    {
        var layers = new JsonArray
        {
            Layer("InputLayer", "x", new JsonObject { ["batch_shape"] = Shape(null, 9, 7, 4), ["dtype"] = "float32" }),
            Layer("Conv2D", "conv1", Conv(3, "same"), "x"),
            Layer("BatchNormalization", "bn1", new JsonObject { ["axis"] = -1, ["epsilon"] = 0.001 }, "conv1"),
            Layer("ReLU", "relu1", new JsonObject(), "bn1"),
            Layer("Conv2D", "conv2", Conv(1, "valid"), "relu1"),
            Layer("BatchNormalization", "bn2", new JsonObject { ["axis"] = 3, ["epsilon"] = 0.001 }, "conv2"),
            Layer("Activation", "relu2", new JsonObject { ["activation"] = middleActivation }, "bn2"),
            Layer("Conv2D", "conv3", Conv(3, "same"), "relu2"),
            Layer("BatchNormalization", "bn3", new JsonObject { ["axis"] = -1, ["epsilon"] = 0.01, ["center"] = false }, "conv3"),
            Layer("Add", "add", new JsonObject(), dropoutBeforeAdd ? "drop" : "bn3", "relu1"),
            Layer("Activation", "out", new JsonObject { ["activation"] = "relu" }, "add"),
        };
        if (dropoutBeforeAdd) layers.Insert(9, Layer("Dropout", "drop", new JsonObject { ["rate"] = 0.2 }, "bn3"));
        JsonArray outputs = shortcutIsOutput ? [Ref("out"), Ref("relu1")] : [Ref("out")];
        // Random weights everywhere, BatchNormalization statistics included (variances positive), so folding matters.
        return Functional("block", layers, outputs, seed: 7, offset: 0.25f);
    }

    /// <summary>
    /// A functional model of <paramref name="layers"/> (input "x") with <paramref name="outputs"/>, and random weights
    /// uniform in [<paramref name="offset"/>, <paramref name="offset"/> + 1).
    /// </summary>
    static KerasModel Functional(string name, JsonArray layers, JsonNode outputs, int seed, float offset)
    {
        var config = new JsonObject
        {
            ["module"] = "keras", ["class_name"] = "Functional",
            ["config"] = new JsonObject { ["name"] = name, ["layers"] = layers, ["input_layers"] = Ref("x"), ["output_layers"] = outputs },
            ["keras_version"] = "3.15.1", ["backend"] = "torch",
        };
        var model = KerasModel.Create(KerasConfigReader.Parse(config.ToJsonString(), name), new KerasModelOptions { InitializeMissingWeights = true });
        var random = new Random(seed);
        model.SetWeights(model.GetWeights().Select(w => NdArray.Of(w.ToFloats().Select(_ => random.NextSingle() + offset).ToArray(), w.Shape)).ToList());
        return model;
    }

    static JsonObject Conv(int kernel, string padding) => new()
    {
        ["filters"] = 4, ["kernel_size"] = Shape(kernel, kernel), ["strides"] = Shape(1, 1), ["padding"] = padding,
        ["data_format"] = "channels_last", ["dilation_rate"] = Shape(1, 1), ["groups"] = 1, ["activation"] = "linear", ["use_bias"] = true,
    };

    static JsonObject Layer(string className, string name, JsonObject config, params string[] inputs)
    {
        config["name"] = name;
        return new JsonObject
        {
            ["module"] = "keras.layers", ["class_name"] = className, ["name"] = name, ["config"] = config,
            ["inbound_nodes"] = inputs.Length == 0 ? new JsonArray() : Inbound(inputs),
        };
    }

    /// <summary>One call on <paramref name="inputs"/>: a single tensor, or a list of them (merge layers), with Keras 3's <c>mask: null</c>.</summary>
    static JsonArray Inbound(params string[] inputs)
    {
        JsonNode Tensor(string layer) => new JsonObject
        {
            ["class_name"] = "__keras_tensor__",
            ["config"] = new JsonObject { ["shape"] = Shape(null, 9, 7, 4), ["dtype"] = "float32", ["keras_history"] = Ref(layer) },
        };
        JsonNode args = inputs.Length == 1 ? new JsonArray(Tensor(inputs[0])) : new JsonArray(new JsonArray(inputs.Select(Tensor).ToArray()));
        return [new JsonObject { ["args"] = args, ["kwargs"] = new JsonObject { ["mask"] = null } }];
    }

    static JsonArray Ref(string layer) => [layer, 0, 0];

    static JsonArray Shape(params int?[] dims) => new(dims.Select(d => d is null ? null : JsonValue.Create(d.Value)).ToArray<JsonNode?>());

    static NdArray Input(int batch, float nanAt = -1, int height = 9, int width = 7)
    {
        var random = new Random(batch);
        var data = Enumerable.Range(0, batch * height * width * 4).Select(i => i == (int)nanAt ? float.NaN : random.NextSingle() * 2 - 1).ToArray();
        return NdArray.Of(data, batch, height, width, 4);
    }

    static void AssertSame(NdArray expected, NdArray actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var (e, a) = (expected.ToFloats(), actual.ToFloats());
        for (int i = 0; i < e.Length; i++)
        {
            Assert.Equal(float.IsNaN(e[i]), float.IsNaN(a[i]));
            if (!float.IsNaN(e[i])) Assert.True(Math.Abs(e[i] - a[i]) <= 1e-5 + 1e-5 * Math.Abs(e[i]), $"element {i}: {a[i]} vs {e[i]}");
        }
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(false, 3)]
    [InlineData(true, 3)]
    public void PredictAgreesWithTheLayerByLayerTrace(bool shortcutIsOutput, int batch)
    {
        using var model = ResidualBlock(shortcutIsOutput);
        var input = Input(batch);
        var trace = model.Trace([input]);
        // Twice: the second pass reuses packed kernels and memory the first one freed.
        for (int pass = 0; pass < 2; pass++)
        {
            var outputs = model.Predict(input);
            Assert.Equal(trace.Outputs.Count, outputs.Length);
            for (int k = 0; k < outputs.Length; k++) AssertSame(trace.Outputs[k], outputs[k]);
        }
        // The shortcut, when an output, is what relu1 computed, untouched by the Add.
        if (shortcutIsOutput) AssertSame(trace.Find("relu1")!.Outputs[0], model.Predict(input)[1]);
        // Both chains fused; the Add joins the second one only where it may write into the shortcut.
        Assert.Equal(shortcutIsOutput ? ["conv1+bn1+relu1", "conv2+bn2+relu2", "conv3+bn3", "add+out"]
            : ["conv1+bn1+relu1", "conv2+bn2+relu2", "conv3+bn3+add+out"], model.Graph.Plan.StepNames);
    }

    /// <summary>
    /// A Dropout (the identity at inference) runs no step, so the BatchNormalization and Add around it still fuse; a
    /// swish after a packed convolution is oneDNN's post-op.
    /// </summary>
    [Theory]
    [InlineData("relu", true, 1)]
    [InlineData("swish", false, 1)]
    [InlineData("swish", true, 3)]
    public void IdentityLayersAndPostOpsKeepTheTraceValues(string middleActivation, bool dropoutBeforeAdd, int batch)
    {
        using var model = ResidualBlock(shortcutIsOutput: false, middleActivation, dropoutBeforeAdd);
        var input = Input(batch);
        var expected = model.Trace([input]).Outputs[0];
        for (int pass = 0; pass < 2; pass++) AssertSame(expected, model.Predict(input)[0]);
        Assert.Equal(["conv1+bn1+relu1", "conv2+bn2+relu2", "conv3+bn3+add+out"], model.Graph.Plan.StepNames);
    }

    /// <summary>
    /// A squeeze-and-excitation block: its 1x1 convolutions see a 1x1 map, so they run as one matrix product (up to 32
    /// positions), and a batch of 40 takes the oneDNN convolution again; both keep the trace's values.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(40)]
    public void PointwiseConvolutionsOnFewPositionsKeepTheTraceValues(int batch)
    {
        var squeeze = Conv(1, "valid");
        squeeze["activation"] = "swish";
        var excite = Conv(1, "valid");
        excite["activation"] = "sigmoid";
        var layers = new JsonArray
        {
            Layer("InputLayer", "x", new JsonObject { ["batch_shape"] = Shape(null, 9, 7, 4), ["dtype"] = "float32" }),
            Layer("GlobalAveragePooling2D", "pool", new JsonObject { ["keepdims"] = true, ["data_format"] = "channels_last" }, "x"),
            Layer("Conv2D", "squeeze", squeeze, "pool"),
            Layer("Conv2D", "excite", excite, "squeeze"),
            Layer("Multiply", "scale", new JsonObject(), "x", "excite"),
        };
        using var model = Functional("se", layers, Ref("scale"), seed: 11, offset: -0.5f);
        var input = Input(batch);
        var expected = model.Trace([input]).Outputs[0];
        for (int pass = 0; pass < 2; pass++) AssertSame(expected, model.Predict(input)[0]);
    }

    /// <summary>
    /// EfficientNet's and MobileNetV2's stride-2 blocks: a one-sided ZeroPadding, then a 'valid' depthwise (3x3) or
    /// ordinary (5x5) convolution. The plan folds each ZeroPadding into its convolution, which runs with a symmetric
    /// padding and keeps a window of its output (on the 34x32 map) or pads explicitly (on the 10x8 map, where the
    /// window would be too small a part); both keep the trace's values, which pad first, and so does the average of the
    /// window (pooled one axis at a time).
    /// </summary>
    [Theory]
    [InlineData(34, 32, 1)]
    [InlineData(34, 32, 3)]
    [InlineData(10, 8, 2)]
    public void ZeroPaddingFoldsIntoTheConvolutionAfterIt(int height, int width, int batch)
    {
        var depthwise = new JsonObject
        {
            ["kernel_size"] = Shape(3, 3), ["strides"] = Shape(2, 2), ["padding"] = "valid", ["depth_multiplier"] = 1,
            ["data_format"] = "channels_last", ["dilation_rate"] = Shape(1, 1), ["activation"] = "linear", ["use_bias"] = false,
        };
        var wide = Conv(5, "valid");
        wide["strides"] = Shape(2, 2);
        JsonObject Pads(int before, int after) => new() { ["padding"] = new JsonArray(Shape(before, after), Shape(before, after)), ["data_format"] = "channels_last" };
        var layers = new JsonArray
        {
            Layer("InputLayer", "x", new JsonObject { ["batch_shape"] = Shape(null, height, width, 4), ["dtype"] = "float32" }),
            Layer("ZeroPadding2D", "dw_pad", Pads(0, 1), "x"),
            Layer("DepthwiseConv2D", "dw", depthwise, "dw_pad"),
            Layer("BatchNormalization", "dw_bn", new JsonObject { ["axis"] = -1, ["epsilon"] = 0.001 }, "dw"),
            Layer("Activation", "dw_act", new JsonObject { ["activation"] = "swish" }, "dw_bn"),
            Layer("GlobalAveragePooling2D", "pool", new JsonObject { ["keepdims"] = false, ["data_format"] = "channels_last" }, "dw_act"),
            Layer("ZeroPadding2D", "wide_pad", Pads(1, 2), "x"),
            Layer("Conv2D", "wide", wide, "wide_pad"),
        };
        using var model = Functional("stride2", layers, new JsonArray(Ref("dw_act"), Ref("pool"), Ref("wide")), seed: 5, offset: -0.5f);
        var input = Input(batch, height: height, width: width);
        var trace = model.Trace([input]);
        for (int pass = 0; pass < 2; pass++)
        {
            var outputs = model.Predict(input);
            for (int k = 0; k < outputs.Length; k++) AssertSame(trace.Outputs[k], outputs[k]);
        }
        Assert.Equal(["dw_pad+dw+dw_bn+dw_act", "wide_pad+wide", "pool"], model.Graph.Plan.StepNames);
    }

    /// <summary>
    /// TF-style 'same' padding with stride 2 on an even map puts the odd cell after: the convolution runs with a
    /// symmetric padding and a window of its output, and must match the same kernel after an explicit one-sided
    /// ZeroPadding, which the trace runs as a layer of its own.
    /// </summary>
    [Theory]
    [InlineData(34, 32)]
    [InlineData(10, 8)]
    public void OneSidedSamePaddingMatchesAnExplicitZeroPadding(int height, int width)
    {
        var same = Conv(3, "same");
        same["strides"] = Shape(2, 2);
        var valid = Conv(3, "valid");
        valid["strides"] = Shape(2, 2);
        var layers = new JsonArray
        {
            Layer("InputLayer", "x", new JsonObject { ["batch_shape"] = Shape(null, height, width, 4), ["dtype"] = "float32" }),
            Layer("Conv2D", "same", same, "x"),
            Layer("ZeroPadding2D", "pad", new JsonObject { ["padding"] = new JsonArray(Shape(0, 1), Shape(0, 1)), ["data_format"] = "channels_last" }, "x"),
            Layer("Conv2D", "valid", valid, "pad"),
        };
        using var model = Functional("same", layers, new JsonArray(Ref("same"), Ref("valid")), seed: 3, offset: -0.5f);
        var weights = model.GetWeights();
        model.SetWeights([weights[0], weights[1], weights[0], weights[1]]);
        var input = Input(2, height: height, width: width);
        var trace = model.Trace([input]);
        AssertSame(trace.Outputs[1], trace.Outputs[0]);
        var outputs = model.Predict(input);
        AssertSame(trace.Outputs[1], outputs[0]);
        AssertSame(trace.Outputs[1], outputs[1]);
    }

    [Fact]
    public void NaNSpreadsThroughFusedLayersAsInKeras()
    {
        using var model = ResidualBlock(shortcutIsOutput: false);
        var input = Input(2, nanAt: 100);
        var expected = model.Trace([input]).Outputs[0];
        var actual = model.Predict(input)[0];
        Assert.Contains(float.NaN, expected.ToFloats());
        AssertSame(expected, actual);
    }
}
