namespace KerasPort.Runtime.Layers.KerasHub.Whisper;

/// <summary>keras_hub's Whisper <c>Padder</c> (keras_hub/src/models/whisper/whisper_backbone.py): a zero step before and after axis 1 of <c>(batch, T, features)</c>.</summary>
public sealed class Padder : KerasLayer
{
    /// <summary>Builds the layer.</summary>
    public Padder(LayerContext context, PadderSpec spec) : base(context) => _ = spec;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [nn.functional.pad(arguments.Input, [0, 0, 1, 1])];
}
