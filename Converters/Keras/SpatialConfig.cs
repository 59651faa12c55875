using System.Text.RegularExpressions;

namespace KerasPort.Converters.Keras;

/// <summary>
/// Reads the config entries that the convolution, pooling, padding and cropping layers share (spatial rank, per-axis
/// sizes, strides, padding mode, data format, (before, after) amounts), for the runtime's layers and the file
/// writers alike.
/// </summary>
internal static partial class SpatialConfig
{
    /// <summary>The number of spatial axes, from the class name (<c>Conv2D</c>, <c>Conv1DTranspose</c>, <c>MaxPooling3D</c>, ...).</summary>
    public static int Rank(LayerReader layer)
    {
        var match = RankPattern().Match(layer.ClassName);
        return match.Success ? match.Groups[1].Value[0] - '0'
            : throw new UnsupportedLayerException(layer.ClassName, layer.Name, "cannot tell the spatial rank of the class");
    }

    /// <summary>
    /// A per-axis integer tuple (a list, or one integer for every axis); <paramref name="fallback"/> when the key
    /// is absent or null.
    /// </summary>
    public static long[]? Tuple(LayerReader layer, string key, int rank, long[]? fallback = null)
    {
        var values = layer.Ints(key);
        if (values is null) return fallback;
        if (values.Length == 1) return Enumerable.Repeat((long)values[0], rank).ToArray();
        if (values.Length != rank)
            throw layer.ConfigError(key, $"has {values.Length} entries, {layer.ClassName} needs {rank}");
        return values.Select(v => (long)v).ToArray();
    }

    /// <summary>A per-axis tuple that must be present.</summary>
    public static long[] Required(LayerReader layer, string key, int rank) =>
        Tuple(layer, key, rank) ?? throw layer.ConfigError(key, "missing");

    /// <summary>Per-axis ones (the default strides and dilation).</summary>
    public static long[] Ones(int rank) => Enumerable.Repeat(1L, rank).ToArray();

    /// <summary>True for <c>data_format='channels_first'</c>; Keras's default is channels_last.</summary>
    public static bool ChannelsFirst(LayerReader layer) => layer.ChannelsFirst;

    /// <summary>The first spatial axis of a Keras-layout tensor: 2 for <c>channels_first</c> data, else 1.</summary>
    public static int FirstSpatialAxis(LayerReader layer) => ChannelsFirst(layer) ? 2 : 1;

    /// <summary>The config's <c>padding</c>.</summary>
    public static PaddingMode Padding(LayerReader layer) => KerasPadding.Parse(layer.OneOf("padding", "valid", "valid", "same", "causal"), layer.Name);

    /// <summary>
    /// The (before, after) amounts of a padding or cropping layer's config key <paramref name="key"/> for
    /// <paramref name="dims"/> spatial axes. Keras accepts one integer for every side, one integer per spatial axis
    /// (symmetric), or one (before, after) pair per axis; a 1-D layer's two integers are its single pair.
    /// </summary>
    public static (long Before, long After)[] Pairs(LayerReader layer, string key, int dims)
    {
        var value = layer.Config[key];
        (long, long)[]? pairs = value switch
        {
            JsonValue => Repeat(layer.Int(key, 0), dims),
            JsonArray list when dims == 1 && list.All(n => n is JsonValue) => list.Count switch
            {
                1 => Repeat(Number(list[0]), 1),
                2 => [(Number(list[0]), Number(list[1]))],
                _ => null,
            },
            JsonArray list when list.Count == dims && list.All(n => n is JsonValue) => list.Select(n => (Number(n), Number(n))).ToArray(),
            JsonArray list when list.Count == dims && list.All(n => n is JsonArray { Count: 2 }) =>
                list.Select(n => (Number(n![0]), Number(n[1]))).ToArray(),
            _ => null,
        };
        return pairs ?? throw layer.ConfigError(key, $"must be an integer, {dims} integers or {dims} (before, after) pairs, got {value?.ToJsonString() ?? "nothing"}");
    }

    static (long, long)[] Repeat(long amount, int dims) => Enumerable.Repeat((amount, amount), dims).ToArray();

    static long Number(JsonNode? node) => (long)node!.GetValue<double>();

    [GeneratedRegex(@"([123])D")]
    private static partial Regex RankPattern();
}
