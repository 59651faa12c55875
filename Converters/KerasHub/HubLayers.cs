namespace KerasPort.KerasHub;

/// <summary>The configs KerasHub constructors give the layers they create (Keras 3 config keys), shared by the architectures.</summary>
internal static class HubLayers
{
    /// <summary><c>ReversibleEmbedding(vocabulary, hidden)</c> with tied weights.</summary>
    public static JsonObject TokenEmbedding(int vocabulary, int hidden, bool tieWeights = true) =>
        new() { ["input_dim"] = vocabulary, ["output_dim"] = hidden, ["tie_weights"] = tieWeights };

    /// <summary>keras_hub <c>PositionEmbedding(sequence_length)</c>.</summary>
    public static JsonObject PositionEmbedding(int sequenceLength) => new() { ["sequence_length"] = sequenceLength };

    /// <summary><c>Dropout(rate)</c>.</summary>
    public static JsonObject Dropout(double rate) => new() { ["rate"] = rate };

    /// <summary><c>LayerNormalization(axis=-1, epsilon)</c>.</summary>
    public static JsonObject LayerNorm(double epsilon) => new() { ["axis"] = -1, ["epsilon"] = epsilon };

    /// <summary>
    /// keras_hub <c>TransformerDecoder</c>, with the shapes its <c>get_config</c> records once built on a
    /// <c>(batch, T, hidden)</c> decoder sequence (and an encoder sequence of <paramref name="encoderHidden"/> features).
    /// </summary>
    public static JsonObject TransformerDecoder(int hidden, int intermediate, int heads, double dropout, string activation,
        double epsilon, bool normalizeFirst, int? encoderHidden = null)
    {
        var config = TransformerBlock(intermediate, heads, dropout, activation, epsilon, normalizeFirst);
        config["decoder_sequence_shape"] = new JsonArray(null, null, hidden);
        if (encoderHidden is { } size) config["encoder_sequence_shape"] = new JsonArray(null, null, size);
        return config;
    }

    /// <summary>keras_hub <c>TransformerEncoder</c> (its config records no shape: the feature size comes from its weights).</summary>
    public static JsonObject TransformerEncoder(int intermediate, int heads, double dropout, string activation, double epsilon, bool normalizeFirst) =>
        TransformerBlock(intermediate, heads, dropout, activation, epsilon, normalizeFirst);

    static JsonObject TransformerBlock(int intermediate, int heads, double dropout, string activation, double epsilon, bool normalizeFirst) => new()
    {
        ["intermediate_dim"] = intermediate, ["num_heads"] = heads, ["dropout"] = dropout, ["activation"] = activation,
        ["layer_norm_epsilon"] = epsilon, ["normalize_first"] = normalizeFirst,
    };
}
