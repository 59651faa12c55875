namespace KerasPort.Runtime.Training;

public abstract partial class Metric
{
    /// <summary>Keras's metric names and aliases for the per-sample functions KerasPort computes.</summary>
    static Func<Tensor, Tensor, Tensor>? Function(string name) => name switch
    {
        "binary_accuracy" => (t, p) => MetricFunctions.BinaryAccuracy(t, p),
        "categorical_accuracy" => MetricFunctions.CategoricalAccuracy,
        "sparse_categorical_accuracy" => MetricFunctions.SparseCategoricalAccuracy,
        "top_k_categorical_accuracy" => (t, p) => MetricFunctions.TopKCategoricalAccuracy(t, p),
        "sparse_top_k_categorical_accuracy" => (t, p) => MetricFunctions.SparseTopKCategoricalAccuracy(t, p),
        "cosine_similarity" => (t, p) => MetricFunctions.CosineSimilarity(t, p),
        _ when Loss.BuiltIn(name) is { } loss => (t, p) =>
        {
            var (a, b) = Loss.SameRank(t.to_type(ScalarType.Float32), p.to_type(ScalarType.Float32));
            return loss(a, b);
        },
        _ => null,
    };

    /// <summary>
    /// The metric Keras's string <paramref name="identifier"/> names (<c>mae</c>, <c>mean_squared_error</c>,
    /// <c>sparse_categorical_accuracy</c>, ...), reporting under that same string. <c>accuracy</c> and <c>acc</c> become
    /// the binary, sparse or categorical accuracy on the first batch, from the shapes of the targets and predictions,
    /// as Keras's <c>compile_utils.get_metric</c> decides.
    /// </summary>
    /// <exception cref="KerasPortException">An unknown metric.</exception>
    public static Metric Get(string identifier)
    {
        Metric metric = identifier.ToLowerInvariant() is "accuracy" or "acc"
            ? new AutoAccuracy(identifier)
            : identifier == "root_mean_squared_error" ? new RootMeanSquaredError()
            : Function(identifier) is { } function ? new MeanMetricWrapper(identifier, function)
            : throw new KerasPortException($"unknown metric '{identifier}'");
        metric.Serialized = JsonValue.Create(identifier);
        return metric;
    }

    /// <summary>Keras metric classes and the function each wraps.</summary>
    static readonly Dictionary<string, string> Classes = new(StringComparer.Ordinal)
    {
        ["MeanSquaredError"] = "mean_squared_error",
        ["MeanAbsoluteError"] = "mean_absolute_error",
        ["MeanAbsolutePercentageError"] = "mean_absolute_percentage_error",
        ["MeanSquaredLogarithmicError"] = "mean_squared_logarithmic_error",
        ["CategoricalAccuracy"] = "categorical_accuracy",
        ["SparseCategoricalAccuracy"] = "sparse_categorical_accuracy",
        ["Hinge"] = "hinge",
        ["SquaredHinge"] = "squared_hinge",
        ["CategoricalHinge"] = "categorical_hinge",
        ["KLDivergence"] = "kl_divergence",
        ["Poisson"] = "poisson",
        ["LogCoshError"] = "log_cosh",
    };

    /// <summary>
    /// The metric a <c>compile_config</c> records: a string (see <see cref="Get"/>) or a serialized Keras metric
    /// (<c>{"class_name": "BinaryAccuracy", "config": {"name": "acc", "threshold": 0.0}}</c>).
    /// </summary>
    /// <exception cref="KerasPortException">A metric KerasPort does not implement.</exception>
    public static Metric FromConfig(JsonNode? serialized)
    {
        if (serialized is JsonValue value && value.TryGetValue<string>(out var identifier)) return Get(identifier);
        if (serialized is not JsonObject o || KerasConfigReader.Text(o["class_name"]) is not { } className)
            throw new KerasPortException($"unreadable metric config: {serialized?.ToJsonString() ?? "null"}");
        var config = o["config"] as JsonObject ?? [];
        string name = KerasConfigReader.Text(config["name"]) ?? KerasConfigReader.ToSnakeCase(className);
        double Number(string key, double fallback) => ConfigValues.Number(config[key]) ?? fallback;
        bool Flag(string key) => ConfigValues.Flag(config[key]);
        Metric metric = className switch
        {
            "Accuracy" => new MeanMetricWrapper(name, MetricFunctions.Accuracy),
            "BinaryAccuracy" => new MeanMetricWrapper(name, (t, p) => MetricFunctions.BinaryAccuracy(t, p, Number("threshold", 0.5))),
            "TopKCategoricalAccuracy" => new MeanMetricWrapper(name, (t, p) => MetricFunctions.TopKCategoricalAccuracy(t, p, (int)Number("k", 5))),
            "SparseTopKCategoricalAccuracy" => new MeanMetricWrapper(name, (t, p) => MetricFunctions.SparseTopKCategoricalAccuracy(t, p, (int)Number("k", 5))),
            "CosineSimilarity" => new MeanMetricWrapper(name, (t, p) => MetricFunctions.CosineSimilarity(t, p, (long)Number("axis", -1))),
            "RootMeanSquaredError" => new RootMeanSquaredError(name),
            "BinaryCrossentropy" => new MeanMetricWrapper(name, (t, p) => LossFunctions.BinaryCrossentropy(t.to_type(ScalarType.Float32), p, Flag("from_logits"), Number("label_smoothing", 0))),
            "CategoricalCrossentropy" => new MeanMetricWrapper(name, (t, p) => LossFunctions.CategoricalCrossentropy(t.to_type(ScalarType.Float32), p, Flag("from_logits"), Number("label_smoothing", 0))),
            "SparseCategoricalCrossentropy" => new MeanMetricWrapper(name, (t, p) => LossFunctions.SparseCategoricalCrossentropy(t, p, Flag("from_logits"))),
            _ when Classes.TryGetValue(className, out var function) => new MeanMetricWrapper(name, Function(function)!),
            _ => throw new KerasPortException($"metric class '{className}' is not supported"),
        };
        metric.Serialized = o.DeepClone();
        return metric;
    }

    /// <summary>
    /// <c>accuracy</c> / <c>acc</c>: binary accuracy when the predictions have one class, sparse categorical accuracy when
    /// the targets have fewer axes (or a trailing axis of 1 against several classes), categorical otherwise.
    /// </summary>
    sealed class AutoAccuracy(string name) : MeanMetric(name)
    {
        Func<Tensor, Tensor, Tensor>? resolved;

        public override void Update(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            resolved ??= yPred.Sizes()[^1] == 1 ? (t, p) => MetricFunctions.BinaryAccuracy(t, p)
                : yTrue.dim() < yPred.dim() || (yTrue.Sizes()[^1] == 1 && yPred.Sizes()[^1] > 1) ? MetricFunctions.SparseCategoricalAccuracy
                : MetricFunctions.CategoricalAccuracy;
            UpdateValues(resolved(yTrue.detach(), yPred.detach()), sampleWeight);
        }
    }
}
