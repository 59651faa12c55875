namespace KerasPort.Specs.Ops;

/// <summary>
/// An elementwise <c>keras.ops</c> function of two broadcast operands, or <c>Matmul</c> (keras/src/ops/numpy.py
/// <c>Add</c>, <c>TrueDivide</c>, <c>NotEqual</c>, ...): no config beyond the name; either operand may be a constant.
/// </summary>
/// <param name="Function">The function, by its numpy name (<c>add</c>, <c>divide</c>, <c>not_equal</c>, <c>matmul</c>, ...).</param>
public sealed record BinaryOpSpec(string Function) : OpSpec, ILayerSpec<BinaryOpSpec>
{
    static readonly Dictionary<string, string> Functions = new(StringComparer.Ordinal)
    {
        ["Add"] = "add", ["Subtract"] = "subtract", ["Multiply"] = "multiply", ["Divide"] = "divide", ["TrueDivide"] = "divide",
        ["FloorDivide"] = "floor_divide", ["Power"] = "power", ["Maximum"] = "maximum", ["Minimum"] = "minimum",
        ["Equal"] = "equal", ["NotEqual"] = "not_equal", ["Greater"] = "greater", ["GreaterEqual"] = "greater_equal",
        ["Less"] = "less", ["LessEqual"] = "less_equal", ["LogicalAnd"] = "logical_and", ["LogicalOr"] = "logical_or",
        ["Matmul"] = "matmul",
    };

    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = OpConfig.Keys(Functions.Keys);

    /// <inheritdoc />
    public static BinaryOpSpec Read(LayerReader layer) => new(OpConfig.Named(layer, Functions));
}
