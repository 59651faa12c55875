using KerasPort.KerasHub;

namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// What the keras_hub lowerings share: a call's argument by position or keyword, and the lowering of sublayers on given
/// inputs. keras_hub's composite layers lower by composing the lowerings of the sublayers the runtime builds
/// (<see cref="HubSublayerDescriptions"/>, <see cref="MobileNetSublayers"/>,
/// <see cref="ViTSublayers"/>); dropout is the identity at inference and is left out; key/value caches
/// (generation) do not export.
/// </summary>
internal static class HubCalls
{
    /// <summary>The call's argument at <paramref name="position"/>, else its keyword <paramref name="name"/> (null when neither is given).</summary>
    internal static object? Argument(OnnxLayerCall c, int position, string name) => position < c.Args.Count ? c.Args[position] : c.Kwargs.GetValueOrDefault(name);

    /// <summary>The first output of sublayer <paramref name="sublayer"/>'s lowering on <paramref name="args"/>.</summary>
    internal static OnnxValue Lower(OnnxLayerCall c, LayerDescription sublayer, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs)
    {
        var call = c.Inner(sublayer, args, kwargs, null);
        return OnnxModelWriter.Lowering(call)(call).Outputs[0];
    }

    /// <summary>The first output of <paramref name="sublayer"/>'s lowering on <paramref name="x"/> alone.</summary>
    internal static OnnxValue Lower(OnnxLayerCall c, LayerDescription sublayer, OnnxValue x)
    {
        var call = c.Inner(sublayer, [x], new Dictionary<string, object?>(), null);
        return OnnxModelWriter.Lowering(call)(call).Outputs[0];
    }

    /// <summary>Each of <paramref name="chain"/>'s lowerings on the previous one's output (null entries are skipped).</summary>
    internal static OnnxValue Chain(OnnxLayerCall c, OnnxValue x, IEnumerable<LayerDescription?> chain)
    {
        foreach (var sublayer in chain.OfType<LayerDescription>())
        {
            var call = c.Inner(sublayer, [x], new Dictionary<string, object?>(), null);
            x = OnnxModelWriter.Lowering(call)(call).Outputs[0];
        }
        return x;
    }
}
