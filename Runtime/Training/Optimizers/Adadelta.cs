using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Training;

/// <summary>
/// Keras <c>Adadelta</c> (keras/src/backend/torch/optimizers/torch_adadelta.py): <c>Eg = rho*Eg + (1-rho)*g^2</c>,
/// <c>d = -sqrt(Edx + eps) * g / sqrt(Eg + eps)</c>, <c>Edx = rho*Edx + (1-rho)*d^2</c>, <c>w += lr * d</c>.
/// </summary>
public sealed class Adadelta : Optimizer
{
    /// <summary>Creates the optimizer with Keras's defaults.</summary>
    public Adadelta(LearningRate? learningRate = null, double rho = 0.95, double epsilon = 1e-7)
        : base(learningRate ?? 0.001)
    {
        Rho = rho;
        Epsilon = epsilon;
    }

    /// <summary>Decay of the running averages.</summary>
    public double Rho { get; }

    /// <summary>Added inside the square roots.</summary>
    public double Epsilon { get; }

    /// <inheritdoc />
    protected override void BuildSlots(IReadOnlyList<ModelVariable> trainable) =>
        AddSlots(trainable, ("accumulated_grad", 0), ("accumulated_delta_var", 0));

    /// <inheritdoc />
    protected override void Update(IReadOnlyList<Tensor> grads, IReadOnlyList<Tensor> weights, IReadOnlyList<int> indices, Tensor learningRate)
    {
        double lr = learningRate.item<float>();
        for (int i = 0; i < weights.Count; i++)
        {
            var (g, accumulatedGrad, accumulatedDelta) = (grads[i], Slot("accumulated_grad", indices[i]), Slot("accumulated_delta_var", indices[i]));
            accumulatedGrad.mul_(Rho).add_(g * g, 1 - Rho);
            var delta = (accumulatedDelta + Epsilon).sqrt() * g / (accumulatedGrad + Epsilon).sqrt() * -1;
            accumulatedDelta.mul_(Rho).add_(delta * delta, 1 - Rho);
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
