namespace KerasPort.Runtime.Training;

/// <summary>
/// Keras <c>RMSprop</c> (keras/src/backend/torch/optimizers/torch_rmsprop.py): <c>v = rho*v + (1-rho)*g^2</c>,
/// <c>inc = lr * g / sqrt(v + epsilon)</c> with epsilon inside the square root (centered: <c>sqrt(v - mg^2 + epsilon)</c>
/// with <c>mg = rho*mg + (1-rho)*g</c>); with momentum <c>mom = momentum*mom + inc; w -= mom</c>, else <c>w -= inc</c>.
/// </summary>
public sealed class RMSprop(LearningRate? learningRate = null, double rho = 0.9, double momentum = 0.0, double epsilon = 1e-7, bool centered = false)
    : Optimizer(learningRate ?? 0.001)
{
    /// <summary>Decay of the squared-gradient average.</summary>
    public double Rho { get; } = rho;

    /// <summary>Momentum of the increments (0: none).</summary>
    public double Momentum { get; } = momentum;

    /// <summary>Added inside the square root.</summary>
    public double Epsilon { get; } = epsilon;

    /// <summary>Subtract the squared mean gradient.</summary>
    public bool Centered { get; } = centered;

    /// <inheritdoc />
    protected override void BuildSlots(IReadOnlyList<ModelVariable> trainable)
    {
        AddSlots(trainable, ("velocity", 0));
        if (Momentum > 0) AddSlots(trainable, ("momentum", 0));
        if (Centered) AddSlots(trainable, ("average_gradient", 0));
    }

    /// <inheritdoc />
    protected override void Update(IReadOnlyList<Tensor> grads, IReadOnlyList<Tensor> weights, IReadOnlyList<int> indices, Tensor learningRate)
    {
        for (int i = 0; i < weights.Count; i++)
        {
            var (g, v) = (grads[i], Slot("velocity", indices[i]));
            v.mul_(Of(Rho)).add_(g * g, Of(1 - Rho));
            var denominator = v.Plus(Epsilon);
            if (Centered)
            {
                var average = Slot("average_gradient", indices[i]);
                average.mul_(Of(Rho)).add_(g, Of(1 - Rho));
                denominator.add_(average * average, Of(-1));
            }
            denominator.sqrt_();
            var increment = g * learningRate / denominator;
            if (Momentum > 0)
            {
                var momentum = Slot("momentum", indices[i]);
                momentum.mul_(Of(Momentum)).PlusInPlace(increment);
                weights[i].add_(momentum, Of(-1));
            }
            else weights[i].add_(increment, Of(-1));
        }
    }

    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, JsonNode?>> OwnConfig() =>
    [
        new("rho", Rho),
        new("momentum", Momentum),
        new("epsilon", Epsilon),
        new("centered", Centered),
    ];
}
