using TorchSharp;

namespace KerasPort.Runtime.Training;

/// <summary>
/// Keras <c>SGD</c> (keras/src/backend/torch/optimizers/torch_sgd.py): without momentum <c>w -= lr * g</c>; with it
/// <c>m = momentum * m - lr * g</c>, then <c>w += m</c>, or for Nesterov <c>w -= lr * g; w += momentum * m</c>.
/// Unlike torch.optim.SGD the learning rate is folded into the buffer at each step, which matters with a schedule.
/// </summary>
public sealed class SGD(LearningRate? learningRate = null, double momentum = 0.0, bool nesterov = false)
    : Optimizer(learningRate ?? 0.01)
{
    /// <summary>Momentum factor (0: plain SGD).</summary>
    public double Momentum { get; } = momentum is < 0 or > 1
        ? throw new ArgumentOutOfRangeException(nameof(momentum), "momentum must be in [0, 1]")
        : momentum;

    /// <summary>Nesterov momentum.</summary>
    public bool Nesterov { get; } = nesterov;

    /// <inheritdoc />
    protected override void BuildSlots(IReadOnlyList<ModelVariable> trainable)
    {
        if (Momentum != 0) AddSlots(trainable, ("momentum", 0));
    }

    /// <inheritdoc />
    protected override void Update(IReadOnlyList<Tensor> grads, IReadOnlyList<Tensor> weights, IReadOnlyList<int> indices, Tensor learningRate)
    {
        double lr = learningRate.item<float>();
        // The learning rate changes with a schedule: a scalar held for this step, not a cached KeptScalars constant.
        using var negativeLr = (-lr).ToScalar();
        for (int i = 0; i < weights.Count; i++)
        {
            if (Momentum == 0)
            {
                weights[i].add_(grads[i], negativeLr);
                continue;
            }
            var buffer = Slot("momentum", indices[i]);
            buffer.mul_(Of(Momentum)).add_(grads[i], negativeLr);
            if (Nesterov) weights[i].add_(grads[i], negativeLr).add_(buffer, Of(Momentum));
            else weights[i].PlusInPlace(buffer);
        }
    }

    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, JsonNode?>> OwnConfig() =>
    [
        new("momentum", Momentum),
        new("nesterov", Nesterov),
    ];
}
