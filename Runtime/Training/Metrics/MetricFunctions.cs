namespace KerasPort.Runtime.Training;

/// <summary>
/// Keras's accuracy functions (keras/src/metrics/accuracy_metrics.py): each returns 1.0 or 0.0 per sample (or per
/// element where Keras keeps more axes), which <see cref="MeanMetricWrapper"/> averages.
/// </summary>
public static class MetricFunctions
{
    /// <summary><c>accuracy</c>: the fraction of elements where <c>y_true == y_pred</c> exactly, per sample.</summary>
    public static Tensor Accuracy(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = Loss.SameRank(yTrue.to_type(yPred.dtype), yPred);
        return t.eq(p).to_type(ScalarType.Float32).mean([-1]);
    }

    /// <summary><c>binary_accuracy</c>: <c>y_pred &gt; threshold</c> compared with the labels, averaged over the last axis.</summary>
    public static Tensor BinaryAccuracy(Tensor yTrue, Tensor yPred, double threshold = 0.5)
    {
        var (t, p) = Loss.SameRank(yTrue, yPred);
        var predicted = (p > tensor((float)threshold, p.dtype, p.device)).to_type(t.dtype);
        return t.eq(predicted).to_type(ScalarType.Float32).mean([-1]);
    }

    /// <summary><c>categorical_accuracy</c>: the argmax of one-hot <c>y_true</c> equals the argmax of <c>y_pred</c>.</summary>
    public static Tensor CategoricalAccuracy(Tensor yTrue, Tensor yPred) =>
        yTrue.argmax(-1).eq(yPred.argmax(-1)).to_type(ScalarType.Float32);

    /// <summary><c>sparse_categorical_accuracy</c>: integer labels (a trailing axis of 1 squeezed) equal the argmax of <c>y_pred</c>.</summary>
    public static Tensor SparseCategoricalAccuracy(Tensor yTrue, Tensor yPred)
    {
        var labels = yTrue.dim() == yPred.dim() && yTrue.Sizes()[^1] == 1 ? yTrue.squeeze(-1) : yTrue;
        return labels.eq(yPred.argmax(-1).to_type(labels.dtype)).to_type(ScalarType.Float32);
    }

    /// <summary><c>top_k_categorical_accuracy</c>: the one-hot label is among the <paramref name="k"/> largest predictions.</summary>
    public static Tensor TopKCategoricalAccuracy(Tensor yTrue, Tensor yPred, int k = 5) => InTopK(yTrue.argmax(-1), yPred, k);

    /// <summary><c>sparse_top_k_categorical_accuracy</c>: the integer label is among the <paramref name="k"/> largest predictions.</summary>
    public static Tensor SparseTopKCategoricalAccuracy(Tensor yTrue, Tensor yPred, int k = 5)
    {
        var labels = yTrue.dim() == yPred.dim() && yTrue.Sizes()[^1] == 1 ? yTrue.squeeze(-1) : yTrue;
        return InTopK(labels.to_type(ScalarType.Int64), yPred, k);
    }

    static Tensor InTopK(Tensor labels, Tensor yPred, int k)
    {
        var top = yPred.topk(Math.Min(k, (int)yPred.Sizes()[^1]), -1).indexes;
        return top.eq(labels.unsqueeze(-1)).any(-1).to_type(ScalarType.Float32);
    }

    /// <summary>The cosine similarity metric: <c>sum(l2norm(y_true) * l2norm(y_pred))</c> (positive, unlike the loss).</summary>
    public static Tensor CosineSimilarity(Tensor yTrue, Tensor yPred, long axis = -1) => -LossFunctions.CosineSimilarity(yTrue, yPred, axis);
}
