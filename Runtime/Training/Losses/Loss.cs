using TorchSharp;

namespace KerasPort.Runtime.Training;

/// <summary>
/// A Keras loss: a per-sample function (<see cref="LossFunctions"/> or your own delegate) and Keras's reduction
/// (keras/src/losses/loss.py). <see cref="Compute"/> casts both sides to float32, matches their ranks
/// (<c>squeeze_or_expand_to_same_rank</c>), multiplies by the sample weights if any, then reduces:
/// <c>sum_over_batch_size</c> (the default) divides the sum by the number of per-sample values (the partial last batch
/// divides by its own size, and zero weights still count), <c>sum</c> only sums, <c>mean_with_sample_weight</c> divides
/// by the sum of the weights.
/// </summary>
public sealed class Loss
{
    readonly Func<Tensor, Tensor, Tensor> perSample;
    readonly bool sparseLabels;

    /// <summary>
    /// A loss from a per-sample function <paramref name="perSample"/> (it gets float32 <c>y_true</c> and <c>y_pred</c>
    /// of matching rank and returns one value per sample), as Keras wraps a plain function in <c>LossFunctionWrapper</c>.
    /// <paramref name="name"/> is what <c>compile_config</c> records: a built-in function name, or a custom object's
    /// registered name such as <c>package&gt;quartic_loss</c>.
    /// </summary>
    public Loss(string name, Func<Tensor, Tensor, Tensor> perSample, string reduction = "sum_over_batch_size")
        : this(name, perSample, reduction, null) { }

    Loss(string name, Func<Tensor, Tensor, Tensor> perSample, string reduction, JsonNode? serialized, bool sparseLabels = false)
    {
        this.sparseLabels = sparseLabels;
        if (reduction is not ("sum_over_batch_size" or "mean" or "sum" or "mean_with_sample_weight"))
            throw new ArgumentException($"reduction '{reduction}' is not supported for training (sum_over_batch_size, mean, sum, mean_with_sample_weight are)", nameof(reduction));
        Name = name;
        this.perSample = perSample;
        Reduction = reduction;
        Serialized = serialized ?? (reduction == "sum_over_batch_size" && BuiltIns.ContainsKey(name) ? JsonValue.Create(name)
            : new JsonObject { ["module"] = "builtins", ["class_name"] = "function", ["config"] = name, ["registered_name"] = "function" });
    }

    /// <summary>The loss's name (as Keras names it: a function name, a class's default name, or a registered name).</summary>
    public string Name { get; }

    /// <summary>Keras's reduction.</summary>
    public string Reduction { get; }

    /// <summary>How <c>compile_config</c> records the loss: a name, or a serialized Keras object.</summary>
    public JsonNode Serialized { get; }

    /// <summary>The per-sample values (no weights, no reduction) for <paramref name="yTrue"/> and <paramref name="yPred"/>.</summary>
    public Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = SameRank(yTrue.to_type(ScalarType.Float32), yPred.to_type(ScalarType.Float32));
        // Sparse labels have one axis less than the predictions; every other loss works element by element.
        if (!sparseLabels && !Broadcastable(t.Sizes(), p.Sizes()))
            throw new KerasPortException($"loss '{Name}': targets of shape ({string.Join(", ", yTrue.Sizes())}) do not fit predictions of shape ({string.Join(", ", yPred.Sizes())})");
        return perSample(t, p);
    }

    /// <summary>The reduced loss, a float32 scalar (Keras's <c>loss(y_true, y_pred, sample_weight)</c>).</summary>
    public Tensor Compute(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        var values = PerSample(yTrue, yPred);
        if (sampleWeight is not null)
        {
            var (v, w) = SameRank(values, sampleWeight.to_type(ScalarType.Float32));
            if (!Broadcastable(v.Sizes(), w.Sizes()))
                throw new KerasPortException($"loss '{Name}': sample weights of shape ({string.Join(", ", w.Sizes())}) do not fit per-sample losses of shape ({string.Join(", ", v.Sizes())})");
            values = v * w;
            sampleWeight = w;
        }
        if (values.dim() == 0) return values;
        var total = values.sum();
        if (Reduction == "sum") return total;
        if (Reduction == "mean_with_sample_weight" && sampleWeight is not null) return total / sampleWeight.sum();
        // The element count follows the batch size: a scalar held for this division, not a cached KeptScalars constant.
        using var count = values.numel().ToScalar();
        return total / count;
    }

    /// <summary>True when torch can broadcast shapes <paramref name="a"/> and <paramref name="b"/> together (checked in C#: libtorch may abort on a mismatch).</summary>
    internal static bool Broadcastable(long[] a, long[] b)
    {
        for (int i = 1; i <= Math.Min(a.Length, b.Length); i++)
            if (a[^i] != b[^i] && a[^i] != 1 && b[^i] != 1) return false;
        return true;
    }

    /// <summary>
    /// keras/src/losses/loss.py <c>squeeze_or_expand_to_same_rank</c>: when the ranks differ by one and the longer one
    /// ends in an axis of 1, a rank-1 shorter one is expanded, otherwise the longer one squeezed.
    /// </summary>
    public static (Tensor, Tensor) SameRank(Tensor x1, Tensor x2)
    {
        long r1 = x1.dim(), r2 = x2.dim();
        if (r1 == r2 + 1 && x1.Sizes()[^1] == 1)
        {
            if (r2 == 1) x2 = x2.unsqueeze(-1);
            else x1 = x1.squeeze(-1);
        }
        else if (r2 == r1 + 1 && x2.Sizes()[^1] == 1)
        {
            if (r1 == 1) x1 = x1.unsqueeze(-1);
            else x2 = x2.squeeze(-1);
        }
        return (x1, x2);
    }

    static readonly Dictionary<string, Func<Tensor, Tensor, Tensor>> BuiltIns = new(StringComparer.Ordinal)
    {
        ["mean_squared_error"] = LossFunctions.MeanSquaredError,
        ["mean_absolute_error"] = LossFunctions.MeanAbsoluteError,
        ["mean_absolute_percentage_error"] = LossFunctions.MeanAbsolutePercentageError,
        ["mean_squared_logarithmic_error"] = LossFunctions.MeanSquaredLogarithmicError,
        ["huber"] = (t, p) => LossFunctions.Huber(t, p),
        ["log_cosh"] = LossFunctions.LogCosh,
        ["hinge"] = LossFunctions.Hinge,
        ["squared_hinge"] = LossFunctions.SquaredHinge,
        ["categorical_hinge"] = LossFunctions.CategoricalHinge,
        ["kl_divergence"] = LossFunctions.KLDivergence,
        ["poisson"] = LossFunctions.Poisson,
        ["cosine_similarity"] = (t, p) => LossFunctions.CosineSimilarity(t, p),
        ["binary_crossentropy"] = (t, p) => LossFunctions.BinaryCrossentropy(t, p),
        ["categorical_crossentropy"] = (t, p) => LossFunctions.CategoricalCrossentropy(t, p),
        ["sparse_categorical_crossentropy"] = (t, p) => LossFunctions.SparseCategoricalCrossentropy(t, p),
    };

    /// <summary>Keras's aliases (keras/src/losses/__init__.py and the legacy names) for the built-in functions.</summary>
    static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["mse"] = "mean_squared_error", ["MSE"] = "mean_squared_error",
        ["mae"] = "mean_absolute_error", ["MAE"] = "mean_absolute_error",
        ["mape"] = "mean_absolute_percentage_error", ["MAPE"] = "mean_absolute_percentage_error",
        ["msle"] = "mean_squared_logarithmic_error", ["MSLE"] = "mean_squared_logarithmic_error",
        ["logcosh"] = "log_cosh", ["huber_loss"] = "huber",
        ["kld"] = "kl_divergence", ["KLD"] = "kl_divergence", ["kullback_leibler_divergence"] = "kl_divergence",
    };

    /// <summary>The built-in function <paramref name="name"/> resolves to, or null.</summary>
    internal static Func<Tensor, Tensor, Tensor>? BuiltIn(string name) =>
        BuiltIns.GetValueOrDefault(Aliases.GetValueOrDefault(name, name));

    /// <summary>
    /// The built-in loss Keras's string <paramref name="name"/> names (<c>mse</c>, <c>categorical_crossentropy</c>, ...);
    /// the name is kept as given, as Keras records it.
    /// </summary>
    /// <exception cref="KerasPortException">Not a built-in loss.</exception>
    public static Loss Get(string name) => BuiltIn(name) is { } fn
        ? new Loss(name, fn, "sum_over_batch_size", JsonValue.Create(name), Aliases.GetValueOrDefault(name, name) == "sparse_categorical_crossentropy")
        : throw new KerasPortException($"unknown loss '{name}'; built-in losses: {string.Join(", ", BuiltIns.Keys)} (register your own with CustomObjects)");

    /// <summary>Keras <c>BinaryCrossentropy(from_logits, label_smoothing, axis)</c>.</summary>
    public static Loss BinaryCrossentropy(bool fromLogits = false, double labelSmoothing = 0, int axis = -1, string reduction = "sum_over_batch_size", string name = "binary_crossentropy") =>
        new(name, (t, p) => LossFunctions.BinaryCrossentropy(t, p, fromLogits, labelSmoothing, axis), reduction,
            ClassConfig("BinaryCrossentropy", name, reduction, new() { ["from_logits"] = fromLogits, ["label_smoothing"] = labelSmoothing, ["axis"] = axis }));

    /// <summary>Keras <c>CategoricalCrossentropy(from_logits, label_smoothing, axis)</c>.</summary>
    public static Loss CategoricalCrossentropy(bool fromLogits = false, double labelSmoothing = 0, int axis = -1, string reduction = "sum_over_batch_size", string name = "categorical_crossentropy") =>
        new(name, (t, p) => LossFunctions.CategoricalCrossentropy(t, p, fromLogits, labelSmoothing, axis), reduction,
            ClassConfig("CategoricalCrossentropy", name, reduction, new() { ["from_logits"] = fromLogits, ["label_smoothing"] = labelSmoothing, ["axis"] = axis }));

    /// <summary>Keras <c>SparseCategoricalCrossentropy(from_logits)</c>.</summary>
    public static Loss SparseCategoricalCrossentropy(bool fromLogits = false, string reduction = "sum_over_batch_size", string name = "sparse_categorical_crossentropy") =>
        new(name, (t, p) => LossFunctions.SparseCategoricalCrossentropy(t, p, fromLogits), reduction,
            ClassConfig("SparseCategoricalCrossentropy", name, reduction, new() { ["from_logits"] = fromLogits, ["ignore_class"] = null }), sparseLabels: true);

    /// <summary>Keras <c>Huber(delta)</c>.</summary>
    public static Loss Huber(double delta = 1.0, string reduction = "sum_over_batch_size", string name = "huber_loss") =>
        new(name, (t, p) => LossFunctions.Huber(t, p, delta), reduction, ClassConfig("Huber", name, reduction, new() { ["delta"] = delta }));

    /// <summary>Keras <c>CosineSimilarity(axis)</c> (the negative cosine).</summary>
    public static Loss CosineSimilarity(int axis = -1, string reduction = "sum_over_batch_size", string name = "cosine_similarity") =>
        new(name, (t, p) => LossFunctions.CosineSimilarity(t, p, axis), reduction, ClassConfig("CosineSimilarity", name, reduction, new() { ["axis"] = axis }));

    static JsonObject ClassConfig(string className, string name, string reduction, JsonObject extra)
    {
        var config = new JsonObject { ["name"] = name, ["reduction"] = reduction };
        foreach (var (key, value) in extra.ToList())
        {
            extra.Remove(key);
            config[key] = value;
        }
        return new JsonObject { ["module"] = "keras.losses", ["class_name"] = className, ["config"] = config, ["registered_name"] = null };
    }

    /// <summary>Keras loss classes without options beyond name and reduction, and the function each wraps.</summary>
    static readonly Dictionary<string, string> PlainClasses = new(StringComparer.Ordinal)
    {
        ["MeanSquaredError"] = "mean_squared_error",
        ["MeanAbsoluteError"] = "mean_absolute_error",
        ["MeanAbsolutePercentageError"] = "mean_absolute_percentage_error",
        ["MeanSquaredLogarithmicError"] = "mean_squared_logarithmic_error",
        ["LogCosh"] = "log_cosh",
        ["Hinge"] = "hinge",
        ["SquaredHinge"] = "squared_hinge",
        ["CategoricalHinge"] = "categorical_hinge",
        ["KLDivergence"] = "kl_divergence",
        ["Poisson"] = "poisson",
    };

    /// <summary>
    /// The loss a <c>compile_config</c> (or legacy <c>training_config</c>) records: a function name, a serialized Keras
    /// loss class (<c>{"class_name": "BinaryCrossentropy", "config": {...}}</c>), or a plain function
    /// (<c>{"class_name": "function", "config": "name"}</c>). Names that are not built in are looked up in
    /// <paramref name="custom"/>, by full registered name (<c>package&gt;name</c>) and then by the bare name.
    /// </summary>
    /// <exception cref="KerasPortException">An unknown loss, or a custom one not registered.</exception>
    public static Loss FromConfig(JsonNode? serialized, CustomObjects? custom = null)
    {
        switch (serialized)
        {
            case JsonValue value when value.TryGetValue<string>(out var name):
                return BuiltIn(name) is not null ? Get(name) : Custom(name, custom, serialized);
            case JsonObject o:
                var className = KerasConfigReader.Text(o["class_name"]) ?? throw new KerasPortException($"loss config has no class_name: {o.ToJsonString()}");
                if (className == "function" && KerasConfigReader.Text(o["config"]) is { } function)
                    return BuiltIn(function) is not null ? Get(function).WithSerialized(o) : Custom(function, custom, o);
                var config = o["config"] as JsonObject ?? [];
                string reduction = KerasConfigReader.Text(config["reduction"]) ?? "sum_over_batch_size";
                string? givenName = KerasConfigReader.Text(config["name"]);
                bool Flag(string key) => ConfigValues.Flag(config[key]);
                double Number(string key, double fallback) => ConfigValues.Number(config[key]) ?? fallback;
                int Axis() => (int)Number("axis", -1);
                var loss = className switch
                {
                    "BinaryCrossentropy" => BinaryCrossentropy(Flag("from_logits"), Number("label_smoothing", 0), Axis(), reduction, givenName ?? "binary_crossentropy"),
                    "CategoricalCrossentropy" => CategoricalCrossentropy(Flag("from_logits"), Number("label_smoothing", 0), Axis(), reduction, givenName ?? "categorical_crossentropy"),
                    "SparseCategoricalCrossentropy" when config["ignore_class"] is null => SparseCategoricalCrossentropy(Flag("from_logits"), reduction, givenName ?? "sparse_categorical_crossentropy"),
                    "Huber" => Huber(Number("delta", 1.0), reduction, givenName ?? "huber_loss"),
                    "CosineSimilarity" => CosineSimilarity(Axis(), reduction, givenName ?? "cosine_similarity"),
                    _ when PlainClasses.TryGetValue(className, out var plain) =>
                        new Loss(givenName ?? plain, BuiltIns[plain], reduction, o.DeepClone()),
                    _ when custom?.Loss(className) is { } registered => registered,
                    _ => throw new KerasPortException($"loss class '{className}' is not supported; register a C# implementation with CustomObjects.RegisterLoss(\"{className}\", ...)"),
                };
                return loss;
            default:
                throw new KerasPortException($"unreadable loss config: {serialized?.ToJsonString() ?? "null"}");
        }
    }

    /// <summary>The same loss, recorded in <c>compile_config</c> as <paramref name="serialized"/> (what the file said).</summary>
    Loss WithSerialized(JsonNode serialized) => new(Name, perSample, Reduction, serialized.DeepClone(), sparseLabels);

    static Loss Custom(string name, CustomObjects? custom, JsonNode serialized) =>
        custom?.Loss(name) is { } registered
            ? registered.WithSerialized(serialized)
            : throw new KerasPortException($"the model was compiled with the custom loss '{name}', which has no C# implementation: register one with CustomObjects.RegisterLoss(\"{name}\", (yTrue, yPred) => ...)");
}
