using TorchSharp;

namespace KerasPort.Runtime.Layers.Ops;

/// <summary>Python indexing (<c>x[:, 1:3, None, ..., 0]</c>) as Keras 3 serializes it for <c>GetItem</c> nodes.</summary>
internal static class Slicing
{
    /// <summary>Applies the serialized index <paramref name="key"/> to <paramref name="x"/>.</summary>
    public static Tensor Apply(Tensor x, object? key, string opName)
    {
        var parts = key is IReadOnlyList<object?> list ? list : [key];
        return x.index(parts.Select(p => Index(p, opName)).ToArray());
    }

    static TensorIndex Index(object? part, string opName) => part switch
    {
        null => TensorIndex.None,
        Tensor t => TensorIndex.Tensor(t),
        JsonObject { } spec when (string?)spec["class_name"] == "__slice__" => TensorIndex.Slice(
            (long?)spec["config"]?["start"], (long?)spec["config"]?["stop"], (long?)spec["config"]?["step"]),
        JsonObject { } spec when (string?)spec["class_name"] == "__ellipsis__" => TensorIndex.Ellipsis,
        JsonValue value when value.TryGetValue<string>(out var text) && text is "..." or "Ellipsis" => TensorIndex.Ellipsis,
        JsonValue value => TensorIndex.Single((long)value),
        _ => throw new FormatException($"op '{opName}': unsupported index {part}"),
    };
}
