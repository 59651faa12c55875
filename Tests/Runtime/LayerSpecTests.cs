using System.Text.Json.Nodes;
using KerasPort.Converters.Keras;
using KerasPort.Specs;
using KerasPort.Specs.Ops;
using KerasPort.Specs.Regularization;

namespace KerasPort.Tests.Runtime;

/// <summary>Every registered layer class (and <c>keras.ops</c> node) has a spec (Converters/Specs) that validates its config.</summary>
public sealed class LayerSpecTests
{
    [Fact]
    public void EveryRegisteredClassHasASpec()
    {
        var missing = LayerRegistry.CreateDefault().ClassNames.Where(n => !LayerSpecs.Has(n)).ToList();
        Assert.True(missing.Count == 0, $"registered classes without a spec (write one in Converters/Specs, see README 'Adding a layer'): {string.Join(", ", missing)}");
    }

    [Fact]
    public void EverySpecHasARegisteredClass()
    {
        var registered = LayerRegistry.CreateDefault().ClassNames.ToHashSet(StringComparer.Ordinal);
        var orphans = LayerSpecs.ClassNames.Where(n => !registered.Contains(n)).ToList();
        Assert.True(orphans.Count == 0, $"specs of classes no runtime layer is registered for: {string.Join(", ", orphans)}");
    }

    [Fact]
    public void BadConfigValueIsATypedErrorNamingLayerAndKey()
    {
        var layer = new LayerDescription { Name = "drop", ClassName = "Dropout", Config = new JsonObject { ["rate"] = 1.5 } };
        var error = Assert.Throws<LayerConfigException>(() => DropoutSpec.Read(LayerReader.Of(layer, 3)));
        Assert.Equal(("drop", "rate"), (error.LayerName, error.Key));
        Assert.Contains("'drop' (Dropout), config 'rate'", error.Message);
    }

    [Fact]
    public void UserLayerRegisteredWithItsSpecGetsTheSpec()
    {
        DropoutSpec? seen = null;
        var registry = LayerRegistry.CreateDefault().Register<DropoutSpec>((context, spec) =>
        {
            seen = spec;
            return new KerasPort.Runtime.Layers.Regularization.Dropout(context, spec);
        });
        var layer = new LayerDescription { Name = "drop", ClassName = "SpatialDropout2D", Config = new JsonObject { ["rate"] = 0.25, ["data_format"] = "channels_first" } };
        registry.Create(new KerasPort.Runtime.Layers.LayerContext(layer, KerasGeneration.Keras3, TorchSharp.torch.CPU, registry));
        Assert.Equal(new DropoutSpec(0.25, null, Spatial: true, ChannelsFirst: true), seen);
    }

    static LayerReader Op(string className, JsonObject config) => LayerReader.Of(
        new LayerDescription { Name = "op_node", ClassName = className, Config = config, Module = "keras.src.ops.numpy" }, 3);

    [Theory]
    [InlineData("Mean", "axis", "\"last\"")]
    [InlineData("Mean", "axis", "1.5")]
    [InlineData("Sum", "axis", "[0, {\"a\": 1}]")]
    [InlineData("Any", "keepdims", "\"yes\"")]
    [InlineData("ExpandDims", "axis", "true")]
    [InlineData("Transpose", "axes", "{\"x\": 0}")]
    [InlineData("Concatenate", "axis", "[[0]]")]
    [InlineData("Cast", "dtype", "32")]
    [InlineData("Gelu", "approximate", "1")]
    public void BadOpConfigValueIsATypedErrorNamingLayerAndKey(string className, string key, string json)
    {
        var error = Assert.Throws<LayerConfigException>(() => LayerSpecs.Read(Op(className, new JsonObject { [key] = JsonNode.Parse(json) })));
        Assert.Equal(("op_node", key), (error.LayerName, error.Key));
    }

    [Fact]
    public void MissingRequiredOpArgumentNamesTheKey()
    {
        var error = Assert.Throws<LayerConfigException>(() => LayerSpecs.Read(Op("ExpandDims", [])));
        Assert.Equal(("op_node", "axis"), (error.LayerName, error.Key));
    }

    [Fact]
    public void OpSpecsCarryKerasDefaults()
    {
        // keras/src/ops/numpy.py Concatenate(axis=0), Squeeze(axis=None), Mean(axis=None, keepdims=False); nn.py Softmax(axis=-1), Gelu(approximate=True)
        Assert.Equal(new JoinOpSpec(0, Stack: false), LayerSpecs.Read(Op("Concatenate", [])));
        Assert.Equal(new JoinOpSpec(2, Stack: true), LayerSpecs.Read(Op("Stack", new JsonObject { ["axis"] = new JsonArray(2) })));
        Assert.Equal(new SoftmaxOpSpec(-1), LayerSpecs.Read(Op("Softmax", [])));
        Assert.Equal(new GeluOpSpec(true), LayerSpecs.Read(Op("Gelu", [])));
        Assert.Null(Assert.IsType<SqueezeOpSpec>(LayerSpecs.Read(Op("Squeeze", []))).Axes);
        var mean = Assert.IsType<ReductionOpSpec>(LayerSpecs.Read(Op("Mean", new JsonObject { ["axis"] = -1 })));
        Assert.Equal(("mean", false), (mean.Function, mean.KeepDims));
        Assert.Equal([-1L], mean.Axes!);
    }

    [Fact]
    public void AnOpNodeGetsTheOpSpecNotTheSameNamedLayers()
    {
        Assert.Equal(new BinaryOpSpec("add"), LayerSpecs.Read(Op("Add", [])));
        Assert.Equal(new BinaryOpSpec("divide"), LayerSpecs.Read(Op("TrueDivide", [])));
    }

    [Fact]
    public void AnOpOptionThatWouldBeIgnoredIsRefused()
    {
        var error = Assert.Throws<UnsupportedLayerException>(() => LayerSpecs.Read(Op("Max", new JsonObject { ["initial"] = 0.0 })));
        Assert.Contains("'initial'", error.Message);
    }

    [Fact]
    public void TensorFlowOpRecordsWithoutTheirOpAreTypedErrors()
    {
        var lambda = new LayerDescription { Name = "tf_op", ClassName = "TFOpLambda", Config = [] };
        Assert.Equal("function", Assert.Throws<LayerConfigException>(() => LayerSpecs.Read(LayerReader.Of(lambda, 2))).Key);
        var layer = new LayerDescription { Name = "tf_op", ClassName = "TensorFlowOpLayer", Config = new JsonObject { ["node_def"] = new JsonObject(), ["constants"] = new JsonObject() } };
        Assert.Equal("node_def", Assert.Throws<LayerConfigException>(() => LayerSpecs.Read(LayerReader.Of(layer, 2))).Key);
        var constants = layer with { Config = new JsonObject { ["node_def"] = new JsonObject { ["op"] = "AddV2" }, ["constants"] = new JsonObject { ["x"] = 1 } } };
        Assert.Equal("constants", Assert.Throws<LayerConfigException>(() => LayerSpecs.Read(LayerReader.Of(constants, 2))).Key);
    }
}
