namespace KerasPort.Specs.Merging;

/// <summary>The pairwise operation an elementwise merge layer folds its inputs with.</summary>
public enum MergeOperation
{
    /// <summary><c>Add</c>: the sum.</summary>
    Add,
    /// <summary><c>Subtract</c>: the first input minus the second (exactly two inputs).</summary>
    Subtract,
    /// <summary><c>Multiply</c>: the product.</summary>
    Multiply,
    /// <summary><c>Average</c>: the sum divided by the input count.</summary>
    Average,
    /// <summary><c>Maximum</c>: the elementwise maximum.</summary>
    Maximum,
    /// <summary><c>Minimum</c>: the elementwise minimum.</summary>
    Minimum,
}

/// <summary>
/// Keras's elementwise merge layers <c>Add</c>, <c>Subtract</c>, <c>Multiply</c>, <c>Average</c>, <c>Maximum</c>
/// and <c>Minimum</c> (keras/src/layers/merging/base_merge.py and one file each); Keras 1's <c>Merge</c> modes are
/// renamed to them on load. They have no config of their own: the class is the operation.
/// </summary>
/// <param name="Operation">The operation the class names.</param>
public sealed record MergeSpec(MergeOperation Operation) : LayerSpec, ILayerSpec<MergeSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = Enum.GetNames<MergeOperation>();

    /// <inheritdoc />
    public static MergeSpec Read(LayerReader layer) => new(Enum.Parse<MergeOperation>(layer.ClassName));
}
