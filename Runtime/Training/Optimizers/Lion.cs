namespace KerasPort.Runtime.Training;

/// <summary>
/// Keras <c>Lion</c> (keras/src/backend/torch/optimizers/torch_lion.py): <c>w -= lr * sign(b1*m + (1-b1)*g)</c>,
/// then <c>m = b2*m + (1-b2)*g</c>; <c>sign(0) = 0</c>.
/// </summary>
public sealed class Lion(LearningRate? learningRate = null, double beta1 = 0.9, double beta2 = 0.99)
    : Optimizer(learningRate ?? 0.001)
{
    /// <summary>Interpolation factor of the update direction.</summary>
    public double Beta1 { get; } = beta1 is <= 0 or > 1
        ? throw new ArgumentOutOfRangeException(nameof(beta1), "beta_1 must be in (0, 1]")
        : beta1;

    /// <summary>Decay of the momentum.</summary>
    public double Beta2 { get; } = beta2;

    /// <inheritdoc />
    protected override void BuildSlots(IReadOnlyList<ModelVariable> trainable) => AddSlots(trainable, ("momentum", 0));

    /// <inheritdoc />
    protected override void Update(IReadOnlyList<Tensor> grads, IReadOnlyList<Tensor> weights, IReadOnlyList<int> indices, Tensor learningRate)
    {
        for (int i = 0; i < weights.Count; i++)
        {
            var m = Slot("momentum", indices[i]);
            var direction = (m * Of(Beta1)).add_(grads[i], Of(1 - Beta1)).sign();
            weights[i].add_(direction * learningRate, Of(-1));
            m.mul_(Of(Beta2)).add_(grads[i], Of(1 - Beta2));
        }
    }

    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, JsonNode?>> OwnConfig() =>
    [
        new("beta_1", Beta1),
        new("beta_2", Beta2),
    ];
}
