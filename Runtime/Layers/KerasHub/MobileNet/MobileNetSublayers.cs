using System.Text.Json.Nodes;
using KerasPort.Runtime.Layers.KerasHub.Modeling;
using KerasPort.Specs.KerasHub;

namespace KerasPort.Runtime.Layers.KerasHub.MobileNet;

/// <summary>The Keras layers keras_hub's MobileNet blocks create (keras_hub/src/models/mobilenet/mobilenet_backbone.py), channels_last.</summary>
internal static class MobileNetSublayers
{
    /// <summary>A Conv2D (<c>padding="valid"</c>); <paramref name="groups"/> equal to the input channels makes it depthwise.</summary>
    public static KerasLayer Conv(this HubSublayers sublayers, string attribute, int filters, int kernelSize, int stride = 1, int groups = 1,
        bool useBias = false) =>
        sublayers.Create(attribute, "Conv2D", new JsonObject
        {
            ["name"] = attribute, ["filters"] = filters, ["kernel_size"] = new JsonArray(kernelSize, kernelSize),
            ["strides"] = new JsonArray(stride, stride), ["padding"] = "valid", ["data_format"] = "channels_last", ["groups"] = groups,
            ["use_bias"] = useBias,
        });

    /// <summary>A BatchNormalization over the channels with the blocks' epsilon.</summary>
    public static KerasLayer BatchNorm(this HubSublayers sublayers, string attribute) =>
        sublayers.Create(attribute, "BatchNormalization", new JsonObject
        {
            ["name"] = attribute, ["axis"] = -1, ["epsilon"] = MobileNetChannels.BatchNormEpsilon, ["momentum"] = 0.9,
        });

    /// <summary>An Activation layer (no weights).</summary>
    public static KerasLayer Activation(this HubSublayers sublayers, string attribute, string activation) =>
        sublayers.Create(attribute, "Activation", new JsonObject { ["name"] = attribute, ["activation"] = activation });

    /// <summary>A ZeroPadding2D of <paramref name="padding"/> on every side (no weights).</summary>
    public static KerasLayer ZeroPadding(this HubSublayers sublayers, string attribute, int padding) =>
        sublayers.Create(attribute, "ZeroPadding2D", new JsonObject
        {
            ["name"] = attribute, ["padding"] = new JsonArray(new JsonArray(padding, padding), new JsonArray(padding, padding)),
            ["data_format"] = "channels_last",
        });

    /// <summary>A SqueezeAndExcite2D with a relu squeeze and a hard_sigmoid gate, as the blocks build it.</summary>
    public static KerasLayer SqueezeExcite(this HubSublayers sublayers, string attribute, int filters, double ratio) =>
        sublayers.Create(attribute, "keras_hub>SqueezeAndExcite2D", new JsonObject
        {
            ["name"] = attribute, ["filters"] = filters, ["bottleneck_filters"] = MobileNetChannels.Adjust(filters * ratio),
            ["squeeze_activation"] = "relu", ["excite_activation"] = "hard_sigmoid",
        });

    /// <summary>
    /// Whether <paramref name="weight"/> (one of a block's weights) is trainable in the sublayer that holds it: a
    /// BatchNormalization's moving statistics are not, as Keras counts them. Sublayers hold the block's arrays renamed.
    /// </summary>
    public static bool IsTrainable(IEnumerable<KerasLayer?> layers, WeightArray weight) =>
        layers.OfType<KerasLayer>().Select(layer => (layer, index: layer.Weights.ToList().FindIndex(w => ReferenceEquals(w.Value, weight.Value))))
            .FirstOrDefault(found => found.index >= 0) is ({ } owner, var i) ? owner.IsTrainableWeight(i) : true;

    /// <summary>Calls each of <paramref name="layers"/> on the previous one's output, starting from <paramref name="x"/>.</summary>
    public static TorchSharp.torch.Tensor Chain(CallArguments call, TorchSharp.torch.Tensor x, params KerasLayer?[] layers)
    {
        foreach (var layer in layers)
            if (layer is not null) x = HubSublayers.Apply(layer, call, x);
        return x;
    }
}
