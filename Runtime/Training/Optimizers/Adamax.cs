namespace KerasPort.Runtime.Training;

/// <summary>
/// Keras <c>Adamax</c> (keras/src/backend/torch/optimizers/torch_adamax.py): <c>m = b1*m + (1-b1)*g</c>,
/// <c>u = max(b2*u, |g|)</c>, <c>w -= lr * m / ((u + epsilon) * (1 - b1^t))</c>.
/// </summary>
public sealed class Adamax(LearningRate? learningRate = null, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7)
    : Optimizer(learningRate ?? 0.001)
{
    /// <summary>Decay of the first moment.</summary>
    public double Beta1 { get; } = beta1;

    /// <summary>Decay of the infinity norm.</summary>
    public double Beta2 { get; } = beta2;

    /// <summary>Added to the norm.</summary>
    public double Epsilon { get; } = epsilon;

    /// <inheritdoc />
    protected override void BuildSlots(IReadOnlyList<ModelVariable> trainable) => AddSlots(trainable, ("momentum", 0), ("norm", 0));

    /// <inheritdoc />
    protected override void Update(IReadOnlyList<Tensor> grads, IReadOnlyList<Tensor> weights, IReadOnlyList<int> indices, Tensor learningRate)
    {
        var step = Step(1);
        var beta1Power = tensor((float)Beta1, float32, step.device).pow(step);
        for (int i = 0; i < weights.Count; i++)
        {
            var (g, m, u) = (grads[i], Slot("momentum", indices[i]), Slot("norm", indices[i]));
            m.mul_(Of(Beta1)).add_(g, Of(1 - Beta1));
            u.mul_(Of(Beta2));
            u.copy_(maximum(u, g.abs()));
            weights[i].add_(m * learningRate / (u.Plus(Epsilon) * beta1Power.OneMinus()), Of(-1));
        }
    }

    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, JsonNode?>> OwnConfig() =>
    [
        new("beta_1", Beta1),
        new("beta_2", Beta2),
        new("epsilon", Epsilon),
    ];
}
