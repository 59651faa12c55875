using System.Runtime.CompilerServices;

namespace KerasPort.Runtime;

/// <summary>
/// String tensors in the graph. TorchSharp has no string dtype, so a string tensor is a uint8 placeholder of the
/// strings' shape (shape checks and shape inference see the real shape) whose strings live beside it in a weak table
/// keyed by the tensor object: the text and lookup layers read them from there, and
/// <see cref="TensorConversions.ToNdArray"/> turns a placeholder back into a string array. The table is thread-safe and
/// lets go of the strings when the placeholder is collected.
/// </summary>
public static class StringTensors
{
    static readonly ConditionalWeakTable<Tensor, string[]> Strings = new();

    /// <summary>A placeholder tensor of <paramref name="shape"/> on <paramref name="device"/> carrying <paramref name="values"/> (row-major).</summary>
    public static Tensor Create(string[] values, long[] shape, Device device)
    {
        ArgumentNullException.ThrowIfNull(values);
        var placeholder = zeros(shape, ScalarType.Byte, device);
        Strings.Add(placeholder, values);
        return placeholder;
    }

    /// <summary>The strings <paramref name="tensor"/> carries, when it is a string placeholder.</summary>
    public static bool TryGet(Tensor tensor, out string[] values)
    {
        if (Strings.TryGetValue(tensor, out var found))
        {
            values = found;
            return true;
        }
        values = [];
        return false;
    }

    /// <summary>The strings <paramref name="tensor"/> carries; an error naming <paramref name="layer"/> when it is a numeric tensor.</summary>
    public static string[] Of(Tensor tensor, string layer) => TryGet(tensor, out var values)
        ? values
        : throw new KerasPortException($"layer '{layer}' takes strings, but its input is a {tensor.dtype} tensor");
}
