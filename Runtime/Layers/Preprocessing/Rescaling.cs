namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>Keras <c>Rescaling</c>: <c>x * scale + offset</c>; scale and offset may be scalars or per-channel lists.</summary>
public sealed class Rescaling : KerasLayer
{
    readonly Tensor scale;
    readonly Tensor offset;

    /// <summary>Builds the layer.</summary>
    public Rescaling(LayerContext context, RescalingSpec spec) : base(context)
    {
        scale = Own(ConfigTensor(spec.Scale, context.Device));
        offset = Own(ConfigTensor(spec.Offset, context.Device));
    }

    static Tensor ConfigTensor(ScalarOrList value, Device device) =>
        value.IsList ? tensor(value.Floats, device: device) : tensor(value.Floats[0], device: device);

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [(arguments.Input.to_type(ScalarType.Float32) * scale).Plus(offset)];
}
