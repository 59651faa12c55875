namespace KerasPort.Specs.Ops;

/// <summary>
/// An elementwise <c>keras.ops</c> function of one tensor (keras/src/ops/numpy.py <c>Absolute</c>, <c>Exp</c>, ...;
/// keras/src/ops/nn.py <c>Relu</c>, <c>Sigmoid</c>): no config beyond the name.
/// </summary>
/// <param name="Function">The function, by its numpy name (<c>abs</c>, <c>negative</c>, <c>logical_not</c>, ...).</param>
public sealed record UnaryOpSpec(string Function) : OpSpec, ILayerSpec<UnaryOpSpec>
{
    static readonly Dictionary<string, string> Functions = new(StringComparer.Ordinal)
    {
        ["Absolute"] = "abs", ["Abs"] = "abs", ["Negative"] = "negative", ["Exp"] = "exp", ["Log"] = "log",
        ["Sqrt"] = "sqrt", ["Square"] = "square", ["Sign"] = "sign", ["Tanh"] = "tanh", ["Sigmoid"] = "sigmoid",
        ["Relu"] = "relu", ["Floor"] = "floor", ["Ceil"] = "ceil", ["Round"] = "round", ["LogicalNot"] = "logical_not",
    };

    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = OpConfig.Keys(Functions.Keys);

    /// <inheritdoc />
    public static UnaryOpSpec Read(LayerReader layer) => new(OpConfig.Named(layer, Functions));
}
