namespace KerasPort.Runtime.Layers.Convolution;

/// <summary>
/// Keras <c>Conv1D/2D/3D</c>: <c>activation(conv(x, kernel) + bias)</c> with 'valid', 'same' or (1D) 'causal'
/// padding, strides, dilation and groups. The kernel is <c>(k..., in / groups, filters)</c>, as in
/// keras/src/layers/convolution/base_conv.py.
/// </summary>
public sealed class Conv : GroupedConvolution
{
    /// <summary>Builds the layer.</summary>
    public Conv(LayerContext context, ConvSpec spec) : base(context, spec.Window, spec.UseBias, spec.Activation, geometry =>
    {
        long inputChannels = geometry.InputChannels(context);
        long[] kerasShape = [.. geometry.Kernel, inputChannels < 0 ? -1 : inputChannels / spec.Groups, spec.Filters];
        return (ConvGeometry.TorchKernel(context, 0, "kernel", kerasShape), spec.Groups, spec.Filters);
    })
    {
    }
}
