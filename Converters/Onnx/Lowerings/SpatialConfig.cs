using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>The <c>padding</c> argument of Keras's convolution and pooling layers.</summary>
internal enum PaddingMode
{
    /// <summary>No padding.</summary>
    Valid,
    /// <summary>TensorFlow 'same': <c>ceil(in / stride)</c> outputs, the odd pad at the end.</summary>
    Same,
    /// <summary>1D only: <c>dilation * (kernel - 1)</c> at the start.</summary>
    Causal,
}

/// <summary>
/// Reads the config entries that the convolution, pooling, padding and cropping layers share, as the runtime's
/// Runtime/Layers/Convolution/SpatialConfig.cs and Runtime/Layers/Reshaping/SpatialPairs.cs do, and holds the
/// TensorFlow padding arithmetic (Runtime/Layers/Convolution/ConvPadding.cs).
/// </summary>
internal static partial class SpatialConfig
{
    /// <summary>The number of spatial axes, from the class name (<c>Conv2D</c>, <c>MaxPooling3D</c>, ...).</summary>
    public static int Rank(OnnxLayerCall c)
    {
        var match = RankPattern().Match(c.ClassName);
        return match.Success ? match.Groups[1].Value[0] - '0'
            : throw new FormatException($"layer '{c.Name}': cannot tell the spatial rank of class {c.ClassName}");
    }

    /// <summary>A per-axis integer tuple (a list, or one integer for every axis); <paramref name="fallback"/> when absent.</summary>
    public static long[]? Tuple(OnnxLayerCall c, string key, int rank, long[]? fallback = null)
    {
        var values = c.Ints(key);
        if (values is null) return fallback;
        if (values.Length == 1) return Enumerable.Repeat((long)values[0], rank).ToArray();
        if (values.Length != rank)
            throw new FormatException($"layer '{c.Name}': '{key}' has {values.Length} entries, {c.ClassName} needs {rank}");
        return values.Select(v => (long)v).ToArray();
    }

    /// <summary>A per-axis tuple that must be present.</summary>
    public static long[] Required(OnnxLayerCall c, string key, int rank) =>
        Tuple(c, key, rank) ?? throw new FormatException($"layer '{c.Name}': config has no '{key}'");

    /// <summary>Per-axis ones.</summary>
    public static long[] Ones(int rank) => Enumerable.Repeat(1L, rank).ToArray();

    /// <summary>True for <c>data_format='channels_first'</c>.</summary>
    public static bool ChannelsFirst(OnnxLayerCall c) => c.String("data_format") == "channels_first";

    /// <summary>The config's <c>padding</c>.</summary>
    public static PaddingMode Padding(OnnxLayerCall c) => c.String("padding")?.ToLowerInvariant() switch
    {
        null or "valid" => PaddingMode.Valid,
        "same" => PaddingMode.Same,
        "causal" => PaddingMode.Causal,
        var other => throw new FormatException($"layer '{c.Name}': unknown padding '{other}'"),
    };

    /// <summary>
    /// The (before, after) pads of each spatial axis of an input of sizes <paramref name="input"/> (-1 unknown).
    /// 'same' is TensorFlow's rule as keras/src/backend/torch/nn.py <c>_compute_padding_length</c> computes it:
    /// <c>total = max((ceil(in / s) - 1) * s + (k - 1) * d + 1 - in, 0)</c>, the odd cell at the end; with stride 1 it
    /// does not depend on the input size. Null when a size it needs is unknown (strided 'same' on a free axis).
    /// 'causal' is <c>(d * (k - 1), 0)</c> (keras/src/layers/convolution/base_conv.py).
    /// </summary>
    public static (long Before, long After)[]? Pads(PaddingMode mode, long[] input, long[] kernel, long[] strides, long[] dilation)
    {
        var pads = new (long, long)[input.Length];
        for (int i = 0; i < input.Length; i++)
        {
            long effective = (kernel[i] - 1) * dilation[i] + 1;
            if (mode == PaddingMode.Same && input[i] < 0 && strides[i] != 1) return null;
            long total = mode == PaddingMode.Same
                ? Math.Max(strides[i] == 1 ? effective - 1 : ((input[i] + strides[i] - 1) / strides[i] - 1) * strides[i] + effective - input[i], 0)
                : 0;
            pads[i] = mode switch
            {
                PaddingMode.Same => (total / 2, total - total / 2),
                PaddingMode.Causal => (effective - 1, 0),
                _ => (0, 0),
            };
        }
        return pads;
    }

    /// <summary>
    /// The (before, after) amounts of a padding or cropping layer's <paramref name="key"/>: one integer for every side,
    /// one per axis, or one pair per axis (a 1-D layer's two integers are its pair).
    /// </summary>
    public static (long Before, long After)[] Pairs(OnnxLayerCall c, string key, int dims)
    {
        var value = c.Config[key];
        static long Number(JsonNode? node) => (long)node!.GetValue<double>();
        (long, long)[]? pairs = value switch
        {
            JsonValue => Enumerable.Repeat(((long)c.Int(key, 0), (long)c.Int(key, 0)), dims).ToArray(),
            JsonArray list when dims == 1 && list.All(n => n is JsonValue) => list.Count switch
            {
                1 => [(Number(list[0]), Number(list[0]))],
                2 => [(Number(list[0]), Number(list[1]))],
                _ => null,
            },
            JsonArray list when list.Count == dims && list.All(n => n is JsonValue) => list.Select(n => (Number(n), Number(n))).ToArray(),
            JsonArray list when list.Count == dims && list.All(n => n is JsonArray { Count: 2 }) =>
                list.Select(n => (Number(n![0]), Number(n[1]))).ToArray(),
            _ => null,
        };
        return pairs ?? throw new FormatException(
            $"{c.ClassName} '{c.Name}': '{key}' must be an integer, {dims} integers or {dims} (before, after) pairs, got {value?.ToJsonString() ?? "nothing"}");
    }

    /// <summary>The first spatial axis of a Keras tensor: 2 for channels_first, else 1.</summary>
    public static int FirstSpatialAxis(OnnxLayerCall c) => ChannelsFirst(c) ? 2 : 1;

    [GeneratedRegex(@"([123])D")]
    private static partial Regex RankPattern();
}
