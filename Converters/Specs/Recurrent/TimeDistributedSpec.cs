namespace KerasPort.Specs.Recurrent;

/// <summary>Keras <c>TimeDistributed</c> (keras/src/layers/rnn/time_distributed.py): its layer applied to every time step.</summary>
/// <param name="Layer">The serialized wrapped layer.</param>
public sealed record TimeDistributedSpec(JsonObject Layer) : LayerSpec, ILayerSpec<TimeDistributedSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["TimeDistributed"];

    /// <inheritdoc />
    public static TimeDistributedSpec Read(LayerReader layer) => new(layer.Config["layer"] as JsonObject ?? throw layer.ConfigError("layer", "missing"));
}
