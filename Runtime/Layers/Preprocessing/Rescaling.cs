namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>Keras <c>Rescaling</c>: <c>x * scale + offset</c>; scale and offset may be scalars or per-channel lists.</summary>
public sealed class Rescaling : KerasLayer
{
    readonly Tensor scale;
    readonly Tensor offset;

    /// <summary>Builds the layer.</summary>
    public Rescaling(LayerContext context) : base(context)
    {
        scale = Own(ConfigTensor(context, "scale", 1.0));
        offset = Own(ConfigTensor(context, "offset", 0.0));
    }

    static Tensor ConfigTensor(LayerContext context, string key, double fallback)
    {
        var values = context.Doubles(key) ?? [fallback];
        return values.Length == 1 && context.Config[key] is not System.Text.Json.Nodes.JsonArray
            ? tensor((float)values[0], device: context.Device)
            : tensor(values.Select(v => (float)v).ToArray(), device: context.Device);
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [(arguments.Input.to_type(ScalarType.Float32) * scale).Plus(offset)];
}
