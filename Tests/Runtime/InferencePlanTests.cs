using System.Text.Json.Nodes;
using KerasPort.Converters.Keras;
using KerasPort.Converters.Model;
using KerasPort.Runtime;
using Xunit;

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
        var config = new JsonObject
        {
            ["module"] = "keras", ["class_name"] = "Functional",
            ["config"] = new JsonObject { ["name"] = "block", ["layers"] = layers, ["input_layers"] = Ref("x"), ["output_layers"] = outputs },
            ["keras_version"] = "3.15.1", ["backend"] = "torch",
        };
        var description = KerasConfigReader.Parse(config.ToJsonString(), "residual block");
        var model = KerasModel.Create(description, new KerasModelOptions { InitializeMissingWeights = true });
        // Random weights everywhere, BatchNormalization statistics included (variances positive), so folding matters.
        var random = new Random(7);
        model.SetWeights(model.GetWeights().Select(w => NdArray.Of(w.ToFloats().Select(_ => random.NextSingle() + 0.25f).ToArray(), w.Shape)).ToList());
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

    static NdArray Input(int batch, float nanAt = -1)
    {
        var random = new Random(batch);
        var data = Enumerable.Range(0, batch * 9 * 7 * 4).Select(i => i == (int)nanAt ? float.NaN : random.NextSingle() * 2 - 1).ToArray();
        return NdArray.Of(data, batch, 9, 7, 4);
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
        var config = new JsonObject
        {
            ["module"] = "keras", ["class_name"] = "Functional",
            ["config"] = new JsonObject { ["name"] = "se", ["layers"] = layers, ["input_layers"] = Ref("x"), ["output_layers"] = Ref("scale") },
            ["keras_version"] = "3.15.1", ["backend"] = "torch",
        };
        using var model = KerasModel.Create(KerasConfigReader.Parse(config.ToJsonString(), "se block"), new KerasModelOptions { InitializeMissingWeights = true });
        var random = new Random(11);
        model.SetWeights(model.GetWeights().Select(w => NdArray.Of(w.ToFloats().Select(_ => random.NextSingle() - 0.5f).ToArray(), w.Shape)).ToList());
        var input = Input(batch);
        var expected = model.Trace([input]).Outputs[0];
        for (int pass = 0; pass < 2; pass++) AssertSame(expected, model.Predict(input)[0]);
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
