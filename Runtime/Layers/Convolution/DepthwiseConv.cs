namespace KerasPort.Runtime.Layers.Convolution;

/// <summary>
/// Keras <c>DepthwiseConv1D/2D</c>: each input channel convolved with its own <c>depth_multiplier</c> kernels
/// (a grouped convolution with one group per channel), then bias and activation, as in
/// keras/src/layers/convolution/base_depthwise_conv.py. The kernel is <c>(k..., in, depth_multiplier)</c>.
/// </summary>
public sealed class DepthwiseConv : GroupedConvolution
{
    /// <summary>Builds the layer.</summary>
    public DepthwiseConv(LayerContext context, DepthwiseConvSpec spec) : base(context, spec.Window, spec.UseBias, spec.Activation, geometry =>
    {
        var kernel = geometry.DepthwiseKernel(context, 0, "depthwise_kernel", spec.DepthMultiplier, out long groups);
        return (kernel, groups, groups * spec.DepthMultiplier);
    })
    {
    }
}
