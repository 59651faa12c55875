namespace KerasPort.Runtime.Layers.Ops;

/// <summary>Turns op operands, which the graph gives as tensors or JSON constants, into tensors.</summary>
internal static class OpOperands
{
    /// <summary>
    /// <paramref name="operand"/> as a tensor: a tensor as is, a number or bool as a scalar (of
    /// <paramref name="like"/>'s dtype where that keeps its value, as numpy's weak scalar typing does), a list as an array.
    /// </summary>
    public static Tensor AsTensor(object? operand, Tensor? like, string opName) => operand switch
    {
        Tensor tensor => tensor,
        JsonValue value when value.TryGetValue<bool>(out var flag) => tensor(flag, device: like?.device),
        JsonValue value => Scalar(Number(value, opName), like),
        JsonArray list => tensor(Flatten(list).Select(n => (float)Number(n, opName)).ToArray(), ShapeOf(list), ScalarType.Float32, like?.device),
        _ => throw new FormatException($"op '{opName}': operand {operand ?? "null"} is neither a tensor nor a number"),
    };

    static IEnumerable<JsonValue> Flatten(JsonNode node) =>
        node is JsonArray list ? list.SelectMany(n => Flatten(n!)) : [(JsonValue)node];

    static long[] ShapeOf(JsonNode node) => node is JsonArray list ? [list.Count, .. list.Count > 0 ? ShapeOf(list[0]!) : []] : [];

    static double Number(JsonValue value, string opName) =>
        value.TryGetValue<double>(out var d) ? d
        : value.TryGetValue<string>(out var s) && double.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out d) ? d
        : throw new FormatException($"op '{opName}': constant {value.ToJsonString()} is not a number");

    static Tensor Scalar(double number, Tensor? like)
    {
        var dtype = like is null ? ScalarType.Float32
            : like.is_floating_point() || number == Math.Floor(number) ? like.dtype
            : ScalarType.Float32;
        return tensor(number, dtype, like?.device);
    }

    /// <summary>An integer, or list of integers, from a constant operand or config value; null when absent.</summary>
    public static long[]? Axes(JsonNode? node) => node switch
    {
        JsonArray list => list.Select(n => (long)n!).ToArray(),
        JsonValue value => [(long)value],
        _ => null,
    };
}
