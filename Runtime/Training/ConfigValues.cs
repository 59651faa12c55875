using System.Globalization;
using System.Text.Json;

namespace KerasPort.Runtime.Training;

/// <summary>Reads numbers and flags from Keras configs, whether parsed from a file or built in C# (any numeric kind).</summary>
internal static class ConfigValues
{
    /// <summary>The number <paramref name="node"/> holds, or null when it is absent, null or not a number.</summary>
    public static double? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            ? double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;

    /// <summary>The boolean <paramref name="node"/> holds, or <paramref name="fallback"/>.</summary>
    public static bool Flag(JsonNode? node, bool fallback = false) =>
        node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? value.GetValueKind() == JsonValueKind.True : fallback;
}
