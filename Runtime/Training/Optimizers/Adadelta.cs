using TorchSharp;

namespace KerasPort.Runtime.Training;

/// <summary>
/// Keras <c>Adadelta</c> (keras/src/backend/torch/optimizers/torch_adadelta.py): <c>Eg = rho*Eg + (1-rho)*g^2</c>,
/// <c>d = -sqrt(Edx + eps) * g / sqrt(Eg + eps)</c>, <c>Edx = rho*Edx + (1-rho)*d^2</c>, <c>w += lr * d</c>.
/// </summary>
public sealed class Adadelta(LearningRate? learningRate = null, double rho = 0.95, double epsilon = 1e-7)
    : Optimizer(learningRate ?? 0.001)
{
    /// <summary>Decay of the running averages.</summary>
    public double Rho { get; } = rho;

    /// <summary>Added inside the square roots.</summary>
    public double Epsilon { get; } = epsilon;

    /// <inheritdoc />
    protected override void BuildSlots(IReadOnlyList<ModelVariable> trainable) =>
        AddSlots(trainable, ("accumulated_grad", 0), ("accumulated_delta_var", 0));

    /// <inheritdoc />
    protected override void Update(IReadOnlyList<Tensor> grads, IReadOnlyList<Tensor> weights, IReadOnlyList<int> indices, Tensor learningRate)
    {
        // The learning rate changes with a schedule: a scalar held for this step, not a cached KeptScalars constant.
        using var lr = ((double)learningRate.item<float>()).ToScalar();
        for (int i = 0; i < weights.Count; i++)
        {
            var (g, accumulatedGrad, accumulatedDelta) = (grads[i], Slot("accumulated_grad", indices[i]), Slot("accumulated_delta_var", indices[i]));
            accumulatedGrad.mul_(Of(Rho)).add_(g * g, Of(1 - Rho));
            var delta = accumulatedDelta.Plus(Epsilon).sqrt() * g / accumulatedGrad.Plus(Epsilon).sqrt() * Of(-1);
            accumulatedDelta.mul_(Of(Rho)).add_(delta * delta, Of(1 - Rho));
            weights[i].add_(delta, lr);
        }
    }

    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, JsonNode?>> OwnConfig() =>
    [
        new("rho", Rho),
        new("epsilon", Epsilon),
    ];
}
