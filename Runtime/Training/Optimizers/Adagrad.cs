namespace KerasPort.Runtime.Training;

/// <summary>
/// Keras <c>Adagrad</c> (keras/src/backend/torch/optimizers/torch_adagrad.py): the accumulator starts at
/// <c>initial_accumulator_value</c> (0.1), <c>acc += g^2</c>, <c>w -= lr * g / sqrt(acc + epsilon)</c>.
/// </summary>
public sealed class Adagrad(LearningRate? learningRate = null, double initialAccumulatorValue = 0.1, double epsilon = 1e-7)
    : Optimizer(learningRate ?? 0.001)
{
    /// <summary>Starting value of the accumulators.</summary>
    public double InitialAccumulatorValue { get; } = initialAccumulatorValue;

    /// <summary>Added inside the square root.</summary>
    public double Epsilon { get; } = epsilon;

    /// <inheritdoc />
    protected override void BuildSlots(IReadOnlyList<ModelVariable> trainable) => AddSlots(trainable, ("accumulator", InitialAccumulatorValue));

    /// <inheritdoc />
    protected override void Update(IReadOnlyList<Tensor> grads, IReadOnlyList<Tensor> weights, IReadOnlyList<int> indices, Tensor learningRate)
    {
        for (int i = 0; i < weights.Count; i++)
        {
            var accumulator = Slot("accumulator", indices[i]);
            accumulator.PlusInPlace(grads[i] * grads[i]);
            weights[i].add_(grads[i] * learningRate / accumulator.Plus(Epsilon).sqrt(), Of(-1));
        }
    }

    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, JsonNode?>> OwnConfig() =>
    [
        new("initial_accumulator_value", InitialAccumulatorValue),
        new("epsilon", Epsilon),
    ];
}
