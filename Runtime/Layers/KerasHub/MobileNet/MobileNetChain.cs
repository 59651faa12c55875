using KerasPort.Runtime.Layers.KerasHub.Modeling;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.KerasHub.MobileNet;

/// <summary>Runs the chains of sublayers keras_hub's MobileNet blocks are made of (<see cref="KerasPort.KerasHub.MobileNetSublayers"/>).</summary>
internal static class MobileNetChain
{
    /// <summary>Builds <paramref name="descriptions"/> (null entries stay null: a missing squeeze-and-excite).</summary>
    public static KerasLayer?[] Build(HubSublayers sublayers, IEnumerable<LayerDescription?> descriptions) =>
        [.. descriptions.Select(d => d is null ? null : sublayers.Create(d))];

    /// <summary>
    /// Whether <paramref name="weight"/> (one of a block's weights) is trainable in the sublayer that holds it: a
    /// BatchNormalization's moving statistics are not, as Keras counts them. Sublayers hold the block's arrays renamed.
    /// </summary>
    public static bool IsTrainable(IEnumerable<KerasLayer?> layers, WeightArray weight) =>
        layers.OfType<KerasLayer>().Select(layer => (layer, index: layer.Weights.ToList().FindIndex(w => ReferenceEquals(w.Value, weight.Value))))
            .FirstOrDefault(found => found.index >= 0) is ({ } owner, var i) ? owner.IsTrainableWeight(i) : true;

    /// <summary>Calls each of <paramref name="layers"/> on the previous one's output, starting from <paramref name="x"/>.</summary>
    public static Tensor Run(CallArguments call, Tensor x, IEnumerable<KerasLayer?> layers)
    {
        foreach (var layer in layers)
            if (layer is not null) x = HubSublayers.Apply(layer, call, x);
        return x;
    }
}
