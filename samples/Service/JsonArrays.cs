using System.Text.Json;
using System.Text.Json.Nodes;
using KerasPort.Runtime;

namespace KerasPort.Samples.Service;

/// <summary>Nested JSON arrays (batch first, like numpy's <c>tolist()</c>) to and from <see cref="NdArray"/>.</summary>
static class JsonArrays
{
    /// <summary>Reads <paramref name="node"/> as a rectangular nested array for <paramref name="input"/> (int or float by its dtype).</summary>
    public static NdArray Read(JsonNode? node, ModelTensorInfo input)
    {
        var shape = new List<long>();
        for (var level = node; level is JsonArray array; level = array.Count > 0 ? array[0] : null) shape.Add(array.Count);
        if (shape.Count == 0) throw new ModelInputException($"input '{input.Name}' must be a nested array, batch first");
        var values = new List<double>();
        Collect(node, shape, 0, values, input.Name);
        if (input.DType.StartsWith("int", StringComparison.Ordinal))
        {
            if (values.Any(v => v != Math.Floor(v) || v < int.MinValue || v > int.MaxValue))
                throw new ModelInputException($"input '{input.Name}' takes integers ({input.DType})");
            return NdArray.Of(values.Select(v => (int)v).ToArray(), [.. shape]);
        }
        return NdArray.Of(values.Select(v => (float)v).ToArray(), [.. shape]);
    }

    static void Collect(JsonNode? node, List<long> shape, int depth, List<double> values, string name)
    {
        if (depth == shape.Count)
        {
            if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number) values.Add(value.GetValue<double>());
            else throw new ModelInputException($"input '{name}': expected a number at depth {depth}, got {node?.ToJsonString() ?? "null"}");
            return;
        }
        if (node is not JsonArray array || array.Count != shape[depth])
            throw new ModelInputException($"input '{name}' is ragged: every array at depth {depth} must hold {shape[depth]} items");
        foreach (var item in array) Collect(item, shape, depth + 1, values, name);
    }

    /// <summary>Writes <paramref name="array"/> as nested JSON arrays.</summary>
    public static JsonNode Write(NdArray array)
    {
        var values = array.ToDoubles();
        int next = 0;
        JsonNode Build(int depth)
        {
            if (depth == array.Shape.Length) return JsonValue.Create(values[next++]);
            var result = new JsonArray();
            for (long i = 0; i < array.Shape[depth]; i++) result.Add(Build(depth + 1));
            return result;
        }
        return Build(0);
    }
}
