namespace KerasPort.Specs.Merging;

/// <summary>
/// Keras <c>Dot</c> (keras/src/layers/merging/dot.py): the batchwise dot product of two inputs, optionally of
/// L2-normalized ones (cosine proximity).
/// </summary>
/// <param name="Axes">The contracted axis of the first and of the second input (<c>axes</c>: one integer for both, or two).</param>
/// <param name="Normalize">L2-normalize both inputs along their axis first.</param>
public sealed record DotSpec(int[] Axes, bool Normalize) : LayerSpec, ILayerSpec<DotSpec>
{
    /// <summary>Keras's <c>backend.epsilon()</c>, the lower bound of the norm in <c>normalize</c>.</summary>
    public const double Epsilon = 1e-7;

    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["Dot"];

    /// <inheritdoc />
    public static DotSpec Read(LayerReader layer)
    {
        int[] axes = layer.Config["axes"] switch
        {
            JsonValue => [layer.Int("axes", -1), layer.Int("axes", -1)],
            JsonArray { Count: 2 } => layer.Ints("axes")!,
            var other => throw layer.ConfigError("axes", $"must be an integer or two integers, got {other?.ToJsonString() ?? "nothing"}"),
        };
        return new(axes, layer.Bool("normalize", false));
    }
}
