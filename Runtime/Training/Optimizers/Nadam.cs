namespace KerasPort.Runtime.Training;

/// <summary>
/// Keras <c>Nadam</c> (keras/src/backend/torch/optimizers/torch_nadam.py), Keras's momentum schedule rather than
/// torch.optim.NAdam's: <c>u_t = b1 * (1 - 0.5 * 0.96^t)</c>, <c>u_{t+1}</c> likewise, the running product
/// <c>u_product *= u_t</c> (one optimizer variable, starting at 1),
/// <c>m_hat = u_{t+1} * m / (1 - u_product * u_{t+1}) + (1 - u_t) * g / (1 - u_product)</c>,
/// <c>v_hat = v / (1 - b2^t)</c>, <c>w -= lr * m_hat / (sqrt(v_hat) + epsilon)</c>; all scalars float32.
/// </summary>
public sealed class Nadam(LearningRate? learningRate = null, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7)
    : Optimizer(learningRate ?? 0.001)
{
    Tensor? uProduct;

    /// <summary>Decay of the first moment.</summary>
    public double Beta1 { get; } = beta1;

    /// <summary>Decay of the second moment.</summary>
    public double Beta2 { get; } = beta2;

    /// <summary>Added to <c>sqrt(v_hat)</c>.</summary>
    public double Epsilon { get; } = epsilon;

    /// <inheritdoc />
    protected override void BuildSlots(IReadOnlyList<ModelVariable> trainable)
    {
        AddSlots(trainable, ("momentum", 0), ("velocity", 0));
        uProduct = AddScalar("u_product", 1.0, trainable[0].Value.device);
    }

    /// <inheritdoc />
    protected override void Update(IReadOnlyList<Tensor> grads, IReadOnlyList<Tensor> weights, IReadOnlyList<int> indices, Tensor learningRate)
    {
        var (step, next) = (Step(1), Step(2));
        var device = step.device;
        var decay = tensor(0.96f, float32, device);
        var beta1 = tensor((float)Beta1, float32, device);
        var beta2 = tensor((float)Beta2, float32, device);
        var uT = beta1 * Minus(1.0, decay.pow(step) * Of(0.5));
        var uT1 = beta1 * Minus(1.0, decay.pow(next) * Of(0.5));
        var uProductT = uProduct! * uT;
        var uProductT1 = uProductT * uT1;
        var beta2Power = beta2.pow(step);
        uProduct!.copy_(uProductT);
        for (int i = 0; i < weights.Count; i++)
        {
            var (g, m, v) = (grads[i], Slot("momentum", indices[i]), Slot("velocity", indices[i]));
            m.mul_(Of(Beta1)).add_(g, Of(1 - Beta1));
            v.mul_(Of(Beta2)).add_(g * g, Of(1 - Beta2));
            var mHat = (m * uT1 / uProductT1.OneMinus()).Plus(g * uT.OneMinus() / uProductT.OneMinus());
            var vHat = v / beta2Power.OneMinus();
            weights[i].add_(mHat * learningRate / vHat.sqrt().Plus(Epsilon), Of(-1));
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
