namespace KerasPort.Runtime;

/// <summary>
/// A model input or output as a caller sees it: its <paramref name="Name"/> (the key <see cref="KerasModel.Predict(IReadOnlyDictionary{string, NdArray})"/>
/// and <see cref="ModelOutputs"/> use), its <paramref name="Shape"/> in Keras layout with null for dimensions of
/// unknown size (the batch, free sequence lengths), and its <paramref name="DType"/> name (<c>float32</c>, <c>int32</c>, ...).
/// <paramref name="Shape"/> itself is null when not even the rank is known.
/// </summary>
public sealed record ModelTensorInfo(string Name, int?[]? Shape, string DType)
{
    /// <summary>The shape as Keras prints it, e.g. <c>(None, 5, 7)</c>; <c>?</c> when unknown.</summary>
    public string ShapeText => Shape is null ? "?"
        : "(" + string.Join(", ", Shape.Select(d => d?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "None")) + (Shape.Length == 1 ? ",)" : ")");

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {ShapeText} {DType}";
}
