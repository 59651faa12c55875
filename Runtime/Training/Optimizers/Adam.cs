namespace KerasPort.Runtime.Training;

/// <summary>
/// Keras <c>Adam</c> (keras/src/backend/torch/optimizers/torch_adam.py): <c>m = b1*m + (1-b1)*g</c>,
/// <c>v = b2*v + (1-b2)*g^2</c>, <c>alpha = lr * sqrt(1 - b2^t) / (1 - b1^t)</c> (float32),
/// <c>w -= alpha * m / (sqrt(v) + epsilon)</c>: epsilon is added to the square root of the uncorrected <c>v</c>, not
/// torch.optim.Adam's <c>sqrt(v_hat) + eps</c>. With amsgrad, <c>v_hat = max(v_hat, v)</c> replaces <c>v</c>.
/// </summary>
public class Adam(LearningRate? learningRate = null, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7, bool amsgrad = false)
    : Optimizer(learningRate ?? 0.001)
{
    /// <summary>Decay of the first moment.</summary>
    public double Beta1 { get; } = beta1;

    /// <summary>Decay of the second moment.</summary>
    public double Beta2 { get; } = beta2;

    /// <summary>Added to <c>sqrt(v)</c>.</summary>
    public double Epsilon { get; } = epsilon;

    /// <summary>AMSGrad variant.</summary>
    public bool Amsgrad { get; } = amsgrad;

    /// <inheritdoc />
    protected override void BuildSlots(IReadOnlyList<ModelVariable> trainable)
    {
        AddSlots(trainable, ("momentum", 0), ("velocity", 0));
        if (Amsgrad) AddSlots(trainable, ("velocity_hat", 0));
    }

    /// <inheritdoc />
    protected override void Update(IReadOnlyList<Tensor> grads, IReadOnlyList<Tensor> weights, IReadOnlyList<int> indices, Tensor learningRate)
    {
        var step = Step(1);
        var beta1Power = tensor((float)Beta1, float32, step.device).pow(step);
        var beta2Power = tensor((float)Beta2, float32, step.device).pow(step);
        var alpha = learningRate * Minus(1.0, beta2Power).sqrt() / Minus(1.0, beta1Power);
        for (int i = 0; i < weights.Count; i++)
        {
            var (g, m, v) = (grads[i], Slot("momentum", indices[i]), Slot("velocity", indices[i]));
            m.mul_(Of(Beta1)).add_(g, Of(1 - Beta1));
            v.mul_(Of(Beta2)).add_(g * g, Of(1 - Beta2));
            if (Amsgrad)
            {
                var vHat = Slot("velocity_hat", indices[i]);
                vHat.copy_(maximum(vHat, v));
                v = vHat;
            }
            weights[i].add_(m * alpha / v.sqrt().Plus(Epsilon), Of(-1));
        }
    }

    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, JsonNode?>> OwnConfig() =>
    [
        new("beta_1", Beta1),
        new("beta_2", Beta2),
        new("epsilon", Epsilon),
        new("amsgrad", Amsgrad),
    ];
}

/// <summary>
/// Keras <c>AdamW</c>: <see cref="Adam"/> with decoupled weight decay (default 0.004), which
/// <see cref="Optimizer"/> applies before the update like for any optimizer (keras/src/backend/torch/optimizers/torch_adamw.py).
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer with Keras's defaults.</summary>
    public AdamW(LearningRate? learningRate = null, double weightDecay = 0.004, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7, bool amsgrad = false)
        : base(learningRate, beta1, beta2, epsilon, amsgrad) => WeightDecay = weightDecay;
}
