using KerasPort.KerasHub;

namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// keras_hub's MobileNet blocks as ONNX nodes (reference semantics: Runtime/Layers/KerasHub/MobileNet): each lowers the
/// chain of Keras layers the runtime builds (<see cref="MobileNetSublayers"/>) with their own lowerings.
/// </summary>
internal static class MobileNetLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<DepthwiseConvBlockSpec>(table, (c, s) => Block(c, MobileNetSublayers.DepthwiseConvBlock(c, s), s.Residual));
        OnnxLowerings.Add<InvertedResidualBlockSpec>(table, (c, s) => Block(c, MobileNetSublayers.InvertedResidualBlock(c, s), s.Residual));
        OnnxLowerings.Add<ConvBnActBlockSpec>(table, (c, s) => Block(c, MobileNetSublayers.ConvBnActBlock(c, s), residual: false));
        OnnxLowerings.Add<SqueezeAndExcite2DSpec>(table, SqueezeAndExcite2D);
    }

    static OnnxLowered Block(OnnxLayerCall c, IEnumerable<LayerDescription?> chain, bool residual)
    {
        var x = Chain(c, c.Input, chain);
        return c.Pass(residual ? c.Graph.Add(x, c.Input) : x);
    }

    /// <summary>The input times the gate computed from its mean over rows and columns (channels_last).</summary>
    static OnnxLowered SqueezeAndExcite2D(OnnxLayerCall c, SqueezeAndExcite2DSpec s)
    {
        var g = c.Graph;
        var pooled = g.Reduce("ReduceMean", c.Input, [1, 2], keepDims: true);
        return c.Pass(g.Mul(c.Input, Chain(c, pooled, MobileNetSublayers.SqueezeAndExcite2DGate(c, s))));
    }

    /// <summary>Each of <paramref name="chain"/>'s lowerings on the previous one's output (null entries are skipped).</summary>
    static OnnxValue Chain(OnnxLayerCall c, OnnxValue x, IEnumerable<LayerDescription?> chain)
    {
        foreach (var sublayer in chain.OfType<LayerDescription>())
        {
            var call = c.Inner(sublayer, [x], new Dictionary<string, object?>(), null);
            x = OnnxModelWriter.Lowering(call)(call).Outputs[0];
        }
        return x;
    }
}
