namespace KerasPort.Specs.Ops;

/// <summary>
/// Python indexing <c>x[...]</c> (keras/src/ops/numpy.py <c>GetItem</c>): no config; the index is the node's second
/// operand (ints, <c>None</c>, serialized <c>__slice__</c> and <c>__ellipsis__</c> objects).
/// </summary>
public sealed record GetItemOpSpec : OpSpec, ILayerSpec<GetItemOpSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = OpConfig.Keys(["GetItem"]);

    /// <inheritdoc />
    public static GetItemOpSpec Read(LayerReader layer) => new();
}
