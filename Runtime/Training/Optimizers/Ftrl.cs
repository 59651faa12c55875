namespace KerasPort.Runtime.Training;

/// <summary>
/// Keras <c>Ftrl</c> (keras/src/optimizers/ftrl.py; the torch backend has no kernel of its own): with
/// <c>p = learning_rate_power</c>, <c>l2 = l2_regularization_strength + beta / (2 lr)</c>,
/// <c>g2 = g + 2 * l2_shrinkage * w</c>, <c>n' = n + g^2</c>, <c>z += g2 - (n'^-p - n^-p) / lr * w</c>,
/// <c>w = (clip(z, -l1, l1) - z) / (n'^-p / lr + 2 l2)</c>, <c>n = n'</c>. The accumulator starts at
/// <c>initial_accumulator_value</c>.
/// </summary>
public sealed class Ftrl(LearningRate? learningRate = null, double learningRatePower = -0.5, double initialAccumulatorValue = 0.1,
    double l1RegularizationStrength = 0.0, double l2RegularizationStrength = 0.0, double l2ShrinkageRegularizationStrength = 0.0, double beta = 0.0)
    : Optimizer(learningRate ?? 0.001)
{
    /// <summary>Power of the accumulator in the per-coordinate rate (at most 0).</summary>
    public double LearningRatePower { get; } = learningRatePower > 0
        ? throw new ArgumentOutOfRangeException(nameof(learningRatePower), "learning_rate_power must be <= 0")
        : learningRatePower;

    /// <summary>Starting value of the accumulators.</summary>
    public double InitialAccumulatorValue { get; } = initialAccumulatorValue;

    /// <summary>L1 strength.</summary>
    public double L1RegularizationStrength { get; } = l1RegularizationStrength;

    /// <summary>L2 (stabilization) strength.</summary>
    public double L2RegularizationStrength { get; } = l2RegularizationStrength;

    /// <summary>L2 shrinkage (magnitude) strength.</summary>
    public double L2ShrinkageRegularizationStrength { get; } = l2ShrinkageRegularizationStrength;

    /// <summary>The paper's beta.</summary>
    public double Beta { get; } = beta;

    /// <inheritdoc />
    protected override void BuildSlots(IReadOnlyList<ModelVariable> trainable)
    {
        // keras/src/optimizers/ftrl.py build: per weight, its accumulator then its linear term.
        AddSlots(trainable, ("accumulator", InitialAccumulatorValue), ("linear", 0));
    }

    /// <inheritdoc />
    protected override void Update(IReadOnlyList<Tensor> grads, IReadOnlyList<Tensor> weights, IReadOnlyList<int> indices, Tensor learningRate)
    {
        var lr = learningRate;
        // beta / (2.0 * lr): Python's float / tensor is torch's reciprocal(tensor) * float.
        var l2 = ((lr * Of(2.0)).reciprocal() * Of(Beta)).Plus(L2RegularizationStrength);
        var power = tensor((float)-LearningRatePower, float32, lr.device);
        for (int i = 0; i < weights.Count; i++)
        {
            var (g, w, accumulator, linear) = (grads[i], weights[i], Slot("accumulator", indices[i]), Slot("linear", indices[i]));
            var gradient = g.Plus(w * Of(2 * L2ShrinkageRegularizationStrength));
            var newAccumulator = accumulator.Plus(g.Squared());
            linear.copy_(linear.Plus(gradient - (newAccumulator.pow(power) - accumulator.pow(power)) / lr * w));
            var quadratic = (newAccumulator.pow(power) / lr).Plus(l2 * Of(2));
            var clipped = linear.clamp(Of(-L1RegularizationStrength), Of(L1RegularizationStrength));
            w.copy_((clipped - linear) / quadratic);
            accumulator.copy_(newAccumulator);
        }
    }

    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, JsonNode?>> OwnConfig() =>
    [
        new("learning_rate_power", LearningRatePower),
        new("initial_accumulator_value", InitialAccumulatorValue),
        new("l1_regularization_strength", L1RegularizationStrength),
        new("l2_regularization_strength", L2RegularizationStrength),
        new("l2_shrinkage_regularization_strength", L2ShrinkageRegularizationStrength),
        new("beta", Beta),
    ];
}
