using System.Globalization;

namespace KerasPort.Specs.Preprocessing;

/// <summary>
/// The config of Keras's <c>IndexLookup</c> (keras/src/layers/preprocessing/index_lookup.py), shared by
/// <c>StringLookup</c>, <c>IntegerLookup</c> and <c>TextVectorization</c>, each with its own mask and OOV defaults.
/// Vocabulary entries and special tokens are held as text: integers as their decimal digits.
/// </summary>
/// <param name="OutputMode">int, one_hot, multi_hot, count or tf_idf (Keras 2's binary and tf-idf renamed).</param>
/// <param name="Invert">Map indices back to tokens.</param>
/// <param name="NumOovIndices">OOV indices, 1 by default.</param>
/// <param name="MaskToken">The mask token, or null for none.</param>
/// <param name="OovToken">The OOV token.</param>
/// <param name="MaxTokens">The config's <c>max_tokens</c>, or null.</param>
/// <param name="PadToMaxTokens">Encode over <c>max_tokens</c> bins.</param>
/// <param name="HashIntegers"><c>oov_method='farmhash'</c>: integers spread over the OOV indices by FarmHash64 of their text.</param>
/// <param name="Salt">The SipHash key from <c>salt</c>, or null.</param>
/// <param name="Vocabulary">The saved vocabulary, as text keys.</param>
/// <param name="IdfWeights">The config's <c>idf_weights</c>, or null.</param>
public sealed record IndexLookupConfig(string OutputMode, bool Invert, int NumOovIndices, string? MaskToken, string? OovToken, long? MaxTokens,
    bool PadToMaxTokens, bool HashIntegers, ulong[]? Salt, string[] Vocabulary, float[]? IdfWeights)
{
    /// <summary>Reads the lookup config of <paramref name="layer"/> with its class's default mask and OOV tokens.</summary>
    public static IndexLookupConfig Read(LayerReader layer, string? defaultMask, string? defaultOov)
    {
        var config = layer.Config;
        UnsupportedLayerException Refuse(string why) => new(layer.ClassName, layer.Name, why);
        var outputMode = layer.String("output_mode") switch
        {
            null or "int" => "int",
            "binary" => "multi_hot",
            "tf-idf" => "tf_idf",
            var mode and ("one_hot" or "multi_hot" or "count" or "tf_idf") => mode,
            var mode => throw Refuse($"output_mode '{mode}' is not one of int, one_hot, multi_hot, count, tf_idf"),
        };
        if (layer.Bool("sparse", false)) throw Refuse("sparse=True gives TensorFlow SparseTensors, which only the TensorFlow backend has");
        var vocabulary = config["vocabulary"] switch
        {
            JsonArray items => items.Select(i => Key(i) ?? throw Refuse("its vocabulary holds a null")).ToArray(),
            JsonValue path when path.TryGetValue<string>(out var file) => throw Refuse(
                $"its vocabulary is the file '{file}' outside the model; Keras refuses such files in safe mode and KerasPort never reads them (save the model with the vocabulary in it)"),
            _ => throw Refuse("the model has no saved vocabulary (none in the config, and no assets/…/vocabulary.txt as a Keras 3 .keras file keeps it; tf.keras .h5 files never kept an adapted one): the layer cannot be reconstructed"),
        };
        return new(outputMode, layer.Bool("invert", false), layer.Int("num_oov_indices", 1),
            config.ContainsKey("mask_token") ? Key(config["mask_token"]) : defaultMask,
            config.ContainsKey("oov_token") ? Key(config["oov_token"]) : defaultOov,
            config["max_tokens"] is JsonValue ? (long)layer.Double("max_tokens", 0) : null,
            layer.Bool("pad_to_max_tokens", false), layer.String("oov_method") == "farmhash", HashingSpec.ReadSalt(layer), vocabulary,
            layer.Doubles("idf_weights") is { } idf ? [.. idf.Select(v => (float)v)] : null);
    }

    /// <summary>A vocabulary entry or special token as the table's text key (integers as decimal digits).</summary>
    static string? Key(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        JsonValue v => ((long)v.GetValue<double>()).ToString(CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };
}
