namespace KerasPort.Runtime.Layers.Core;

/// <summary>Keras <c>Masking</c>: zeroes timesteps whose features all equal <c>mask_value</c> and masks them for downstream layers.</summary>
public sealed class Masking : KerasLayer
{
    readonly double maskValue;

    /// <summary>Builds the layer.</summary>
    public Masking(LayerContext context, MaskingSpec spec) : base(context) => maskValue = spec.MaskValue;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        return [x * KeepMask(x).unsqueeze(-1).to_type(x.dtype)];
    }

    /// <inheritdoc />
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => KeepMask(arguments.Input);

    Tensor KeepMask(Tensor x) => x.ne(Of(maskValue)).any(-1);
}
