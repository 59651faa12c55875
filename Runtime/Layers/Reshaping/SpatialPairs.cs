using System.Text.Json.Nodes;

namespace KerasPort.Runtime.Layers.Reshaping;

/// <summary>
/// Reads the per-axis (before, after) amounts of the padding and cropping layers. Keras accepts one integer for
/// every side, one integer per spatial axis (symmetric), or one (before, after) pair per axis; a 1-D layer's
/// two integers are its single (before, after) pair.
/// </summary>
internal static class SpatialPairs
{
    /// <summary>The (before, after) amounts of config key <paramref name="key"/> for <paramref name="dims"/> spatial axes.</summary>
    public static (long Before, long After)[] Read(LayerContext context, string key, int dims)
    {
        var value = context.Config[key];
        (long, long)[]? pairs = value switch
        {
            JsonValue => Repeat(context.Int(key, 0), dims),
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
        return pairs ?? throw new FormatException(
            $"{context.ClassName} '{context.Name}': '{key}' must be an integer, {dims} integers or {dims} (before, after) pairs, got {value?.ToJsonString() ?? "nothing"}");
    }

    /// <summary>The first spatial axis: 2 for <c>channels_first</c> data, else 1.</summary>
    public static int FirstSpatialAxis(LayerContext context) => context.String("data_format") == "channels_first" ? 2 : 1;

    static (long, long)[] Repeat(long amount, int dims) => Enumerable.Repeat((amount, amount), dims).ToArray();

    static long Number(JsonNode? node) => (long)node!.GetValue<double>();
}
