namespace KerasPort.Runtime.Training;

/// <summary>
/// Keras's per-sample loss functions (keras/src/losses/losses.py, with the torch backend's cross-entropies from
/// keras/src/backend/torch/nn.py). Each takes float32 <c>y_true</c> and <c>y_pred</c> and returns one value per sample
/// (the last axis reduced), in Keras's operation order. Probabilities are clipped to <c>[1e-7, 1 - 1e-7]</c>
/// (Keras's <c>backend.epsilon()</c>).
/// </summary>
public static class LossFunctions
{
    /// <summary>Keras's <c>backend.epsilon()</c>.</summary>
    public const double Epsilon = 1e-7;

    /// <summary><c>mean((y_true - y_pred)^2)</c>.</summary>
    public static Tensor MeanSquaredError(Tensor yTrue, Tensor yPred) => (yTrue - yPred).Squared().mean([-1]);

    /// <summary><c>mean(|y_true - y_pred|)</c>.</summary>
    public static Tensor MeanAbsoluteError(Tensor yTrue, Tensor yPred) => (yTrue - yPred).abs().mean([-1]);

    /// <summary><c>100 * mean(|(y_true - y_pred) / max(|y_true|, eps)|)</c>.</summary>
    public static Tensor MeanAbsolutePercentageError(Tensor yTrue, Tensor yPred) =>
        ((yTrue - yPred) / yTrue.abs().clamp_min(Of(Epsilon))).abs().mean([-1]) * Of(100.0);

    /// <summary><c>mean((log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1))^2)</c>.</summary>
    public static Tensor MeanSquaredLogarithmicError(Tensor yTrue, Tensor yPred) =>
        (yPred.clamp_min(Of(Epsilon)).Plus(1.0).log() - yTrue.clamp_min(Of(Epsilon)).Plus(1.0).log()).Squared().mean([-1]);

    /// <summary>Huber: <c>0.5 e^2</c> where <c>|e| &lt;= delta</c>, else <c>delta |e| - 0.5 delta^2</c>, with <c>e = y_pred - y_true</c>.</summary>
    public static Tensor Huber(Tensor yTrue, Tensor yPred, double delta = 1.0)
    {
        var error = yPred - yTrue;
        var absError = error.abs();
        var deltaT = tensor((float)delta, yPred.dtype, yPred.device);
        var half = tensor(0.5f, yPred.dtype, yPred.device);
        return where(absError <= deltaT, half * error.Squared(), deltaT * absError - half * deltaT.Squared()).mean([-1]);
    }

    /// <summary><c>log(cosh(e))</c> computed as <c>e + softplus(-2e) - log 2</c>, <c>e = y_pred - y_true</c>.</summary>
    public static Tensor LogCosh(Tensor yTrue, Tensor yPred)
    {
        var x = yPred - yTrue;
        return x.Plus((x * Of(-2.0)).Softplus()).Minus((float)Math.Log(2.0)).mean([-1]);
    }

    /// <summary>Keras turns labels that are all 0 or 1 into -1/+1 for the hinge losses (<c>convert_binary_labels_to_hinge</c>).</summary>
    static Tensor HingeLabels(Tensor yTrue)
    {
        bool binary = ((yTrue == Of(0)) | (yTrue == Of(1))).all().item<bool>();
        return binary ? (yTrue * Of(2.0)).Minus(1.0) : yTrue;
    }

    /// <summary><c>mean(max(1 - y_true * y_pred, 0))</c> with 0/1 labels mapped to -1/+1.</summary>
    public static Tensor Hinge(Tensor yTrue, Tensor yPred) => Minus(1.0, HingeLabels(yTrue) * yPred).clamp_min(Of(0.0)).mean([-1]);

    /// <summary><c>mean(max(1 - y_true * y_pred, 0)^2)</c> with 0/1 labels mapped to -1/+1.</summary>
    public static Tensor SquaredHinge(Tensor yTrue, Tensor yPred) => Minus(1.0, HingeLabels(yTrue) * yPred).clamp_min(Of(0.0)).Squared().mean([-1]);

    /// <summary><c>max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)</c>.</summary>
    public static Tensor CategoricalHinge(Tensor yTrue, Tensor yPred)
    {
        var positive = (yTrue * yPred).sum([-1]);
        var negative = (Minus(1.0, yTrue) * yPred).amax([-1]);
        return (negative - positive).Plus(1.0).clamp_min(Of(0.0));
    }

    /// <summary><c>sum(y_true * log(y_true / y_pred))</c>, both clipped to <c>[eps, 1]</c>.</summary>
    public static Tensor KLDivergence(Tensor yTrue, Tensor yPred)
    {
        var t = yTrue.clamp(Of(Epsilon), Of(1.0));
        var p = yPred.clamp(Of(Epsilon), Of(1.0));
        return (t * (t / p).log()).sum([-1]);
    }

    /// <summary><c>mean(y_pred - y_true * log(y_pred + eps))</c>.</summary>
    public static Tensor Poisson(Tensor yTrue, Tensor yPred) => (yPred - yTrue * yPred.Plus((float)Epsilon).log()).mean([-1]);

    /// <summary>
    /// L2 normalization as keras/src/ops/nn.py <c>normalize</c>: <c>x * min(rsqrt(sum(x^2)), 1 / eps)</c> along <paramref name="axis"/>.
    /// </summary>
    public static Tensor L2Normalize(Tensor x, long axis) => x * x.Squared().sum([axis], keepdim: true).rsqrt().clamp_max(Of(1.0 / Epsilon));

    /// <summary>The cosine similarity loss: <c>-sum(l2norm(y_true) * l2norm(y_pred))</c> (negative, so minimizing aligns them).</summary>
    public static Tensor CosineSimilarity(Tensor yTrue, Tensor yPred, long axis = -1) =>
        -(L2Normalize(yTrue, axis) * L2Normalize(yPred, axis)).sum([axis]);

    /// <summary>
    /// Binary cross-entropy, mean over <paramref name="axis"/>: from probabilities, torch's <c>binary_cross_entropy</c>
    /// of the clipped <c>y_pred</c> (logs clamped at -100); from logits, <c>binary_cross_entropy_with_logits</c>.
    /// </summary>
    public static Tensor BinaryCrossentropy(Tensor yTrue, Tensor yPred, bool fromLogits = false, double labelSmoothing = 0, long axis = -1)
    {
        if (labelSmoothing != 0) yTrue = (yTrue * Of(1.0 - labelSmoothing)).Plus(0.5 * labelSmoothing);
        RequireSameShape(yTrue, yPred, "binary_crossentropy");
        var elementwise = fromLogits
            ? nn.functional.binary_cross_entropy_with_logits(yPred, yTrue, reduction: nn.Reduction.None)
            : nn.functional.binary_cross_entropy(yPred.clamp(Of(Epsilon), Of(1.0 - Epsilon)), yTrue, reduction: nn.Reduction.None);
        return elementwise.mean([axis]);
    }

    /// <summary>
    /// Categorical cross-entropy <c>-sum(y_true * log_prob)</c>: from logits <c>log_softmax</c>; from probabilities the
    /// renormalized, clipped <c>log(y_pred / sum(y_pred))</c> (a softmax output is not turned back into logits).
    /// </summary>
    public static Tensor CategoricalCrossentropy(Tensor yTrue, Tensor yPred, bool fromLogits = false, double labelSmoothing = 0, long axis = -1)
    {
        if (labelSmoothing != 0) yTrue = (yTrue * Of(1.0 - labelSmoothing)).Plus(labelSmoothing / yTrue.Sizes()[^1]);
        RequireSameShape(yTrue, yPred, "categorical_crossentropy");
        return -(yTrue * LogProbabilities(yPred, fromLogits, axis)).sum([axis]);
    }

    /// <summary>
    /// Sparse categorical cross-entropy: integer labels (a trailing axis of 1 is squeezed) against class probabilities or
    /// logits on the last axis, as <see cref="CategoricalCrossentropy"/> of the one-hot labels.
    /// </summary>
    public static Tensor SparseCategoricalCrossentropy(Tensor yTrue, Tensor yPred, bool fromLogits = false)
    {
        var labels = SparseLabels(yTrue, yPred, "sparse_categorical_crossentropy");
        var oneHot = nn.functional.one_hot(labels, yPred.Sizes()[^1]).to_type(yPred.dtype);
        return -(oneHot * LogProbabilities(yPred, fromLogits, -1)).sum([-1L]);
    }

    static Tensor LogProbabilities(Tensor yPred, bool fromLogits, long axis) => fromLogits
        ? yPred.log_softmax(axis)
        : (yPred / yPred.sum([axis], keepdim: true)).clamp(Of(Epsilon), Of(1.0 - Epsilon)).log();

    /// <summary>
    /// Integer labels for <paramref name="yPred"/>'s classes: a trailing axis of 1 squeezed, checked to be whole numbers
    /// in range (libtorch's one_hot and gather abort the process on bad indices).
    /// </summary>
    internal static Tensor SparseLabels(Tensor yTrue, Tensor yPred, string what)
    {
        if (yTrue.dim() == yPred.dim() && yTrue.Sizes()[^1] == 1) yTrue = yTrue.squeeze(-1);
        if (!yTrue.Sizes().SequenceEqual(yPred.Sizes()[..^1]))
            throw new KerasPortException($"{what}: labels of shape ({string.Join(", ", yTrue.Sizes())}) do not fit predictions of shape ({string.Join(", ", yPred.Sizes())})");
        var labels = yTrue.to_type(ScalarType.Int64);
        long classes = yPred.Sizes()[^1];
        if (labels.numel() > 0 && (labels.min().item<long>() < 0 || labels.max().item<long>() >= classes))
            throw new KerasPortException($"{what}: labels must be in [0, {classes}), got {labels.min().item<long>()}..{labels.max().item<long>()}");
        return labels;
    }

    /// <summary>Fails with a typed error unless the shapes are equal (libtorch aborts on some mismatches).</summary>
    internal static void RequireSameShape(Tensor yTrue, Tensor yPred, string what)
    {
        if (!yTrue.Sizes().SequenceEqual(yPred.Sizes()))
            throw new KerasPortException($"{what}: targets of shape ({string.Join(", ", yTrue.Sizes())}) do not fit predictions of shape ({string.Join(", ", yPred.Sizes())})");
    }
}
