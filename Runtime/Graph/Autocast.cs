using KerasPort.Converters.Keras;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Graph;

/// <summary>
/// Keras's input autocasting: a layer casts its floating-point inputs to its compute dtype before <c>call</c>
/// (keras/src/layers/layer.py <c>__call__</c> → keras/src/dtype_policies/dtype_policy.py <c>convert_input</c>), so a
/// float64 layer computes in float64 and the float32 layer after it casts back. Integer, boolean and string inputs
/// pass unchanged; raw <c>keras.ops</c> nodes and nested models do not autocast.
/// </summary>
/// <remarks>
/// Float16 and bfloat16 policies (<c>mixed_float16</c>, ...) compute in float32 here: half-precision matmuls are not
/// available on every CPU libtorch build, and the golden cases hold those within their tolerance.
/// </remarks>
internal static class Autocast
{
    /// <summary>The float type <paramref name="layer"/> computes in, or null when it does not autocast.</summary>
    public static ScalarType? ComputeType(LayerDescription layer) =>
        layer.IsOp || layer.Nested is not null || layer.ClassName == "InputLayer" ? null
        : KerasConfigReader.DTypeName(layer.Config["dtype"]) switch
        {
            "float64" => ScalarType.Float64,
            null or "float32" or "float16" or "bfloat16" or "mixed_float16" or "mixed_bfloat16" => ScalarType.Float32,
            _ => null,
        };

    /// <summary>True when some layer of <paramref name="model"/> (or a nested model) computes in float64.</summary>
    public static bool AnyFloat64(ModelDescription model) =>
        model.Layers.Any(l => ComputeType(l) == ScalarType.Float64 || (l.Nested is { } nested && AnyFloat64(nested))
            || (l.ClassName == "InputLayer" && KerasConfigReader.DTypeName(l.Config["dtype"]) == "float64"));

    /// <summary>
    /// <paramref name="value"/> (a tensor, a constant, or a list of them) with its floating tensors cast to
    /// <paramref name="type"/>; each cast tensor keeps the mask its source carried in <paramref name="masks"/>.
    /// </summary>
    public static object? Cast(object? value, ScalarType type, ref Dictionary<Tensor, Tensor>? masks) => value switch
    {
        Tensor tensor when tensor.is_floating_point() && tensor.dtype != type => Converted(tensor, type, ref masks),
        IReadOnlyList<object?> list => CastList(list, type, ref masks),
        _ => value,
    };

    static Tensor Converted(Tensor tensor, ScalarType type, ref Dictionary<Tensor, Tensor>? masks)
    {
        var cast = tensor.to_type(type);
        if (masks is not null && masks.TryGetValue(tensor, out var mask)) masks[cast] = mask;
        return cast;
    }

    static IReadOnlyList<object?> CastList(IReadOnlyList<object?> list, ScalarType type, ref Dictionary<Tensor, Tensor>? masks)
    {
        object?[]? result = null;
        for (int i = 0; i < list.Count; i++)
        {
            var cast = Cast(list[i], type, ref masks);
            if (!ReferenceEquals(cast, list[i])) (result ??= [.. list])[i] = cast;
        }
        return result ?? list;
    }
}
