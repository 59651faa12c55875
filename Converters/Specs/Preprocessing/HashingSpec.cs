namespace KerasPort.Specs.Preprocessing;

/// <summary>
/// Keras <c>Hashing</c> (keras/src/layers/preprocessing/hashing.py): each value to one of <c>num_bins</c> bins by
/// FarmHash64, or SipHash-2-4 keyed by the <c>salt</c>; a <c>mask_value</c> takes bin 0.
/// </summary>
/// <param name="NumBins">The bins, positive.</param>
/// <param name="MaskValue">The config's <c>mask_value</c> (a string or a number), or null.</param>
/// <param name="Salt">The SipHash key from <c>salt</c> (one integer or a pair), or null for FarmHash64.</param>
/// <param name="OutputMode"><c>int</c> (the default), <c>one_hot</c>, <c>multi_hot</c> or <c>count</c>.</param>
/// <param name="Int32Output">The layer's dtype is int32 (else int64).</param>
public sealed record HashingSpec(int NumBins, JsonNode? MaskValue, ulong[]? Salt, string OutputMode, bool Int32Output) : LayerSpec, ILayerSpec<HashingSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["Hashing"];

    /// <inheritdoc />
    public static HashingSpec Read(LayerReader layer)
    {
        int bins = CheckedNumBins(layer);
        var salt = ReadSalt(layer);
        var outputMode = layer.OneOf("output_mode", "int", "int", "one_hot", "multi_hot", "count");
        return new(bins, layer.Config["mask_value"]?.DeepClone(), salt, outputMode, layer.DTypeName == "int32");
    }

    /// <summary>The SipHash-2-4 key of a <c>salt</c> (one integer for both halves, or a pair); null without one.</summary>
    internal static ulong[]? ReadSalt(LayerReader layer) => layer.Config["salt"] switch
    {
        null => null,
        JsonValue one => [(ulong)one.GetValue<double>(), (ulong)one.GetValue<double>()],
        JsonArray { Count: 2 } pair => [(ulong)pair[0]!.GetValue<double>(), (ulong)pair[1]!.GetValue<double>()],
        var other => throw new UnsupportedLayerException(layer.ClassName, layer.Name, $"salt {other.ToJsonString()} is neither an integer nor a pair of integers"),
    };

    /// <summary>The config's <c>num_bins</c> of a hashing layer, checked, with <c>sparse=True</c> refused (a TensorFlow-only tensor type).</summary>
    internal static int CheckedNumBins(LayerReader layer)
    {
        int bins = layer.Int("num_bins", 0);
        if (bins <= 0) throw new UnsupportedLayerException(layer.ClassName, layer.Name, $"num_bins must be positive, got {bins}");
        if (layer.Bool("sparse", false))
            throw new UnsupportedLayerException(layer.ClassName, layer.Name, "sparse=True gives TensorFlow SparseTensors, which only the TensorFlow backend has");
        return bins;
    }
}
