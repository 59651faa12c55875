using System.Text.RegularExpressions;

namespace KerasPort.Runtime.Layers.Convolution;

/// <summary>Reads the config entries that convolution and pooling layers share (sizes, strides, padding, data format).</summary>
internal static partial class SpatialConfig
{
    /// <summary>The number of spatial axes, from the class name (<c>Conv2D</c>, <c>Conv1DTranspose</c>, <c>MaxPooling3D</c>, ...).</summary>
    public static int Rank(LayerContext context)
    {
        var match = RankPattern().Match(context.ClassName);
        return match.Success ? match.Groups[1].Value[0] - '0'
            : throw new FormatException($"layer '{context.Name}': cannot tell the spatial rank of class {context.ClassName}");
    }

    /// <summary>
    /// A per-axis integer tuple (a list, or one integer for every axis); <paramref name="fallback"/> when the key
    /// is absent or null.
    /// </summary>
    public static long[]? Tuple(LayerContext context, string key, int rank, long[]? fallback = null)
    {
        var values = context.Ints(key);
        if (values is null) return fallback;
        if (values.Length == 1) return Enumerable.Repeat((long)values[0], rank).ToArray();
        if (values.Length != rank)
            throw new FormatException($"layer '{context.Name}': '{key}' has {values.Length} entries, {context.ClassName} needs {rank}");
        return values.Select(v => (long)v).ToArray();
    }

    /// <summary>A per-axis tuple that must be present.</summary>
    public static long[] Required(LayerContext context, string key, int rank) =>
        Tuple(context, key, rank) ?? throw new FormatException($"layer '{context.Name}': config has no '{key}'");

    /// <summary>True for <c>data_format='channels_first'</c>; Keras's default is channels_last.</summary>
    public static bool ChannelsFirst(LayerContext context) => context.String("data_format") == "channels_first";

    /// <summary>The config's <c>padding</c>.</summary>
    public static PaddingMode Padding(LayerContext context) => ConvPadding.Parse(context.String("padding"), context.Name);

    [GeneratedRegex(@"([123])D")]
    private static partial Regex RankPattern();
}
