using TorchSharp;

namespace KerasPort.Runtime.Training;

/// <summary>
/// A Keras metric: state updated batch by batch and read with <see cref="Result"/> (keras/src/metrics/metric.py).
/// <c>fit</c> resets the metrics at the start of every epoch, so callbacks see running values over the epoch so far.
/// </summary>
public abstract partial class Metric : IDisposable
{
    /// <summary>Sets the name.</summary>
    protected Metric(string name) => Name = name;

    /// <summary>The name the metric reports under (the key in logs and History).</summary>
    public string Name { get; internal set; }

    /// <summary>How <c>compile_config</c> records the metric: the name it was given as, or a serialized Keras object.</summary>
    public JsonNode? Serialized { get; internal set; }

    /// <summary>Accumulates one batch: targets, predictions and optional per-sample weights.</summary>
    public abstract void Update(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null);

    /// <summary>The current value (float32 arithmetic, returned as a double).</summary>
    public abstract double Result();

    /// <summary>Forgets the accumulated state.</summary>
    public abstract void Reset();

    /// <inheritdoc />
    public virtual void Dispose() => GC.SuppressFinalize(this);
}

/// <summary>
/// Keras <c>Mean</c> (keras/src/metrics/reduction_metrics.py): float32 <c>total</c> and <c>count</c>; each update
/// reduces the values to one per sample (mean over the other axes, after weighting), adds their sum to
/// <c>total</c> and the number of samples (or the sum of the weights) to <c>count</c>; the result is
/// <c>total / count</c> (0 when <c>count</c> is 0).
/// </summary>
public class MeanMetric : Metric
{
    readonly Tensor total = zeros([], float32).DetachFromDisposeScope();
    readonly Tensor count = zeros([], float32).DetachFromDisposeScope();

    /// <summary>A mean named <paramref name="name"/>.</summary>
    public MeanMetric(string name = "mean") : base(name) { }

    /// <summary>Adds <paramref name="values"/> (one or more per sample), weighted by <paramref name="sampleWeight"/> if given.</summary>
    public void UpdateValues(Tensor values, Tensor? sampleWeight = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        values = values.detach().to_type(ScalarType.Float32).cpu();
        if (sampleWeight is not null)
        {
            var weight = sampleWeight.to_type(ScalarType.Float32).cpu();
            (values, weight) = Loss.SameRank(values, weight);
            long weightRank = weight.dim();
            if (values.dim() > weightRank) values = values.mean(Enumerable.Range((int)weightRank, (int)(values.dim() - weightRank)).Select(a => (long)a).ToArray());
            weight = weight.broadcast_to(values.Sizes());
            values = values * weight;
            if (weightRank > 1) weight = weight.mean(Enumerable.Range(1, (int)weightRank - 1).Select(a => (long)a).ToArray());
            if (values.dim() > 1) values = values.mean(Enumerable.Range(1, (int)values.dim() - 1).Select(a => (long)a).ToArray());
            total.PlusInPlace(values.sum());
            count.PlusInPlace(weight.sum());
            return;
        }
        if (values.dim() > 1) values = values.mean(Enumerable.Range(1, (int)values.dim() - 1).Select(a => (long)a).ToArray());
        total.PlusInPlace(values.sum());
        // The sample count changes per batch: a scalar held for this call, not a cached KeptScalars constant.
        using var samples = (values.dim() >= 1 ? values.Sizes()[0] : 1).ToScalar();
        count.PlusInPlace(samples);
    }

    /// <summary>Keras's scalar fast path: adds <c>value * weight</c> to the total and <c>weight</c> to the count (the loss tracker, weighted by batch size).</summary>
    public void UpdateScalar(Tensor value, long weight)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // The weight is the batch size, which changes per batch: a scalar held for this call, not a cached KeptScalars constant.
        using var batchWeight = weight.ToScalar();
        total.PlusInPlace(value.detach().to_type(ScalarType.Float32).cpu() * batchWeight);
        count.PlusInPlace(batchWeight);
    }

    /// <summary>Treats <paramref name="yPred"/> as the values (Keras's <c>Mean.update_state(values, sample_weight)</c>).</summary>
    public override void Update(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null) => UpdateValues(yPred, sampleWeight);

    /// <inheritdoc />
    public override double Result()
    {
        using var scope = NewDisposeScope();
        return count.item<float>() == 0 ? 0 : (total / count).item<float>();
    }

    /// <inheritdoc />
    public override void Reset()
    {
        using var noGrad = no_grad();
        total.zero_();
        count.zero_();
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        total.Dispose();
        count.Dispose();
        base.Dispose();
    }
}

/// <summary>
/// Keras <c>MeanMetricWrapper</c>: the mean over samples of a per-sample function of <c>(y_true, y_pred)</c>, such as
/// an accuracy (<see cref="MetricFunctions"/>) or a loss function used as a metric.
/// </summary>
public sealed class MeanMetricWrapper : MeanMetric
{
    readonly Func<Tensor, Tensor, Tensor> function;

    /// <summary>Wraps <paramref name="function"/> under <paramref name="name"/>.</summary>
    public MeanMetricWrapper(string name, Func<Tensor, Tensor, Tensor> function) : base(name) => this.function = function;

    /// <inheritdoc />
    public override void Update(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        UpdateValues(function(yTrue.detach(), yPred.detach()), sampleWeight);
    }
}

/// <summary>Keras <c>RootMeanSquaredError</c>: <c>sqrt(total / count)</c> of the squared errors.</summary>
public sealed class RootMeanSquaredError : MeanMetric
{
    /// <summary>Creates the metric.</summary>
    public RootMeanSquaredError(string name = "root_mean_squared_error") : base(name) { }

    /// <inheritdoc />
    public override void Update(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (t, p) = Loss.SameRank(yTrue.detach().to_type(ScalarType.Float32), yPred.detach().to_type(ScalarType.Float32));
        UpdateValues((t - p).Squared(), sampleWeight);
    }

    /// <inheritdoc />
    public override double Result() => Math.Sqrt(base.Result());
}
