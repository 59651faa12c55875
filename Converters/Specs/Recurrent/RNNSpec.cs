namespace KerasPort.Specs.Recurrent;

/// <summary>Keras's generic <c>RNN</c> layer (keras/src/layers/rnn/rnn.py) around the cell its config serializes; a list of cells is stacked.</summary>
/// <param name="Cell">The serialized cell (<c>{"class_name", "config"}</c>), or a list of them.</param>
/// <param name="Options">The sequence options.</param>
public sealed record RNNSpec(JsonNode Cell, RecurrentOptions Options) : LayerSpec, ILayerSpec<RNNSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["RNN"];

    /// <inheritdoc />
    public static RNNSpec Read(LayerReader layer) => new(layer.Config["cell"] is JsonObject or JsonArray ? layer.Config["cell"]! : throw layer.ConfigError("cell", "missing"),
        RecurrentOptions.Read(layer));
}
