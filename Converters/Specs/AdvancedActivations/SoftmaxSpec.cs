namespace KerasPort.Specs.AdvancedActivations;

/// <summary>Keras <c>Softmax</c> (keras/src/layers/activations/softmax.py); a mask adds -1e9 to the masked logits first.</summary>
/// <param name="Axes">The axes normalized over (<c>axis</c>: an integer or a list), -1 by default.</param>
public sealed record SoftmaxSpec(int[] Axes) : LayerSpec, ILayerSpec<SoftmaxSpec>
{
    /// <summary>What keras/src/layers/activations/softmax.py adds to masked float32 logits.</summary>
    public const double MaskedLogit = -1e9;

    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["Softmax"];

    /// <inheritdoc />
    public static SoftmaxSpec Read(LayerReader layer) => new(layer.Ints("axis") ?? [-1]);
}
