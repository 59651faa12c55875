using System.Diagnostics;
using KerasPort.Runtime.Graph;
using KerasPort.Runtime.Layers;

namespace KerasPort.Runtime.Training;

/// <summary>Samples for <c>Fit</c>/<c>Evaluate</c> as tensors on the model's device: inputs, targets, optional weights.</summary>
internal sealed record TrainingData(IReadOnlyList<Tensor> X, IReadOnlyList<Tensor> Y, Tensor? SampleWeight)
{
    public long Count => X[0].Sizes()[0];

    /// <summary>The samples at <paramref name="rows"/>.</summary>
    public TrainingData Take(Tensor rows) =>
        new(X.Select(x => x.index_select(0, rows)).ToList(), Y.Select(y => y.index_select(0, rows)).ToList(), SampleWeight?.index_select(0, rows));
}


/// <summary>
/// The compiled state of a <see cref="KerasModel"/> and Keras's training loop (keras/src/trainers/trainer.py and
/// keras/src/backend/torch/trainer.py): the model's weights as <see cref="ModelVariable"/> leaf tensors, the optimizer,
/// loss and metrics, and the train/test steps. Each training step builds the layers afresh on the live weights (so that
/// everything a layer derives from its weights is differentiable), runs them with <c>training=True</c>, differentiates
/// the loss with torch's autograd and lets the optimizer update the weights in place.
/// </summary>
internal sealed class Trainer : IDisposable
{
    readonly KerasModel model;
    readonly LayerRegistry registry;
    readonly ModelDescription description;
    readonly WeightBindings bindings = new();
    readonly List<ModelVariable> variables = [];
    readonly List<(ModelVariable Variable, Regularizer Regularizer)> regularized = [];
    readonly List<(ModelVariable Variable, Func<Tensor, Tensor> Constraint)> constrained = [];
    readonly MeanMetric lossTracker = new("loss");
    readonly List<MeanMetric> outputLossTrackers = [];

    public Trainer(KerasModel model, LayerRegistry registry, Optimizer optimizer, IReadOnlyList<OutputHead> heads)
    {
        if (heads.Count != model.OutputNames.Count)
            throw new KerasPortException($"model '{model.Description.Name}' has {model.OutputNames.Count} outputs, compiled for {heads.Count}");
        if (heads.All(h => h.Loss is null)) throw new KerasPortException($"model '{model.Description.Name}': compile needs a loss for at least one output");
        this.model = model;
        this.registry = registry;
        Optimizer = optimizer;
        Heads = heads;
        if (heads.Count(h => h.Loss is not null) > 1)
            outputLossTrackers.AddRange(heads.Select(h => new MeanMetric(h.Name + "_loss")));
        description = model.BuiltDescription;
        try
        {
            Collect(model.Graph, description, "", true);
            Probe();
        }
        catch
        {
            DisposeVariables();
            throw;
        }
        Trainable = variables.Where(v => v.Trainable).ToList();
    }

    /// <summary>Sees the raw gradients of every training step (before clipping and weight decay), in <see cref="Trainable"/> order.</summary>
    internal Action<IReadOnlyList<Tensor?>>? GradientObserver { get; set; }

    public Optimizer Optimizer { get; }
    public IReadOnlyList<OutputHead> Heads { get; }
    public IReadOnlyList<ModelVariable> Variables => variables;
    public IReadOnlyList<ModelVariable> Trainable { get; }

    /// <summary>One leaf tensor per weight of every layer, in <c>model.weights</c> order (nested models depth first).</summary>
    void Collect(ModelGraph graph, ModelDescription built, string prefix, bool outerTrainable)
    {
        foreach (var layer in built.Layers)
        {
            var runtime = graph.Layers[layer.Name];
            if (runtime is NestedModel nested)
            {
                Collect(nested.Graph, layer.Nested!, $"{prefix}{layer.Name}/", outerTrainable && nested.Trainable);
                continue;
            }
            for (int i = 0; i < layer.Weights.Count; i++)
            {
                var source = layer.Weights[i].Value;
                bool trainable = outerTrainable && runtime.IsTrainableWeight(i);
                var value = TensorConversions.ToTensor(NdArray.Of(source.ToFloats(), source.Shape), model.Device).DetachFromDisposeScope();
                value.requires_grad_(trainable);
                bindings.Bind(source, value);
                variables.Add(new ModelVariable(prefix + layer.Name, i, layer.Weights[i].Name, source, value, trainable) { ClassName = layer.ClassName });
            }
        }
    }

    /// <summary>
    /// Builds the layers once on the bound weights: records each weight's Keras name, regularizer and constraint, and
    /// refuses a trainable weight no layer took through <see cref="LayerContext.Weight"/> (gradients would never reach it).
    /// </summary>
    void Probe()
    {
        using (var scope = NewDisposeScope())
        using (var noGrad = no_grad())
        using (new ModelGraph(description, registry, model.Device, bindings)) { }
        foreach (var variable in variables)
        {
            if (bindings.RoleOf(variable.Source) is not var (role, config))
            {
                if (variable.Trainable)
                    throw new UnsupportedLayerException(variable.ClassName, variable.LayerPath, $"weight #{variable.Index} ('{variable.Name}') is not read through LayerContext.Weight, so this layer cannot be trained");
                continue;
            }
            variable.Name = role;
            var className = variable.ClassName;
            if (Regularizers.FromConfig(config[Regularizers.ConfigKey(role, "regularizer")], variable.LayerPath, className) is { } regularizer)
                regularized.Add((variable, regularizer));
            if (variable.Trainable && Constraints.FromConfig(config[Regularizers.ConfigKey(role, "constraint")], variable.LayerPath, className) is { } constraint)
                constrained.Add((variable, constraint));
        }
    }

    /// <summary>
    /// Keras's <c>compute_loss</c>: the compiled loss (each output's loss times its weight, summed) plus the added
    /// (activity) losses and the weight regularization. Tracks each output's unweighted loss when there are several.
    /// </summary>
    Tensor TotalLoss(TrainingData batch, IReadOnlyList<Tensor> yPred, IReadOnlyList<Tensor> added)
    {
        Tensor? compiled = null;
        for (int i = 0; i < Heads.Count; i++)
        {
            if (Heads[i].Loss is not { } loss) continue;
            var value = loss.Compute(batch.Y[i], yPred[i], batch.SampleWeight);
            if (outputLossTrackers.Count > 0) outputLossTrackers[i].UpdateScalar(value, batch.Count);
            if (Heads[i].LossWeight is { } weight) value = value * Of(weight);
            compiled = compiled is null ? value : compiled.Plus(value);
        }
        var extra = added.Concat(regularized.Select(r => r.Regularizer.Penalty(r.Variable.Value))).ToList();
        return extra.Count == 0 ? compiled! : stack([compiled!, .. extra]).sum();
    }

    /// <summary>
    /// One training step on a batch (keras/src/backend/torch/trainer.py <c>train_step</c>): forward with
    /// <c>training=True</c>, loss, backward, optimizer update, constraints, metrics. Returns the loss differentiated.
    /// </summary>
    public double TrainStep(TrainingData batch)
    {
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        using var graph = new ModelGraph(description, registry, model.Device, bindings);
        var added = new List<Tensor>();
        var yPred = graph.Execute(batch.X, null, true, added);
        var loss = TotalLoss(batch, yPred, added);
        lossTracker.UpdateScalar(loss, batch.Count);
        // Keras only warns when the model has no trainable weights: the step then updates the metrics alone.
        if (Trainable.Count > 0)
        {
            var scaled = Optimizer.LossScaleFactor is { } factor ? loss * Of(factor) : loss;
            foreach (var variable in Trainable) variable.Value.grad = null;
            scaled.backward();
            var gradients = Trainable.Select(v => v.Value.grad).ToList();
            GradientObserver?.Invoke(gradients);
            Optimizer.Apply(gradients, Trainable);
            foreach (var variable in Trainable) variable.Value.grad = null;
            using (no_grad())
                foreach (var (variable, constraint) in constrained)
                    variable.Value.copy_(constraint(variable.Value));
        }
        UpdateMetrics(batch, yPred.Select(p => p.detach()).ToList());
        return loss.item<float>();
    }

    /// <summary>One evaluation step on the model's inference layers (<c>training=False</c>): loss and metrics.</summary>
    void TestStep(TrainingData batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var added = new List<Tensor>();
        var yPred = model.Graph.Execute(batch.X, null, false, added);
        lossTracker.UpdateScalar(TotalLoss(batch, yPred, added), batch.Count);
        UpdateMetrics(batch, yPred);
    }

    void UpdateMetrics(TrainingData batch, IReadOnlyList<Tensor> yPred)
    {
        for (int i = 0; i < Heads.Count; i++)
        {
            foreach (var metric in Heads[i].Metrics) metric.Update(batch.Y[i], yPred[i]);
            foreach (var metric in Heads[i].WeightedMetrics) metric.Update(batch.Y[i], yPred[i], batch.SampleWeight);
        }
    }

    IEnumerable<Metric> AllMetrics => Heads.SelectMany(h => h.Metrics.Concat(h.WeightedMetrics)).Concat(outputLossTrackers);

    public void ResetMetrics()
    {
        lossTracker.Reset();
        foreach (var metric in AllMetrics) metric.Reset();
    }

    /// <summary>
    /// Keras's <c>get_metrics_result</c>: the loss, each output's loss (several losses), then the metrics, then the
    /// weighted metrics (<c>weighted_</c> on a clash); with several outputs, metric names get the output's name first.
    /// </summary>
    public Dictionary<string, double> Logs()
    {
        var logs = new Dictionary<string, double>(StringComparer.Ordinal) { ["loss"] = lossTracker.Result() };
        foreach (var tracker in outputLossTrackers) logs[tracker.Name] = tracker.Result();
        string Prefixed(string name, OutputHead head) => Heads.Count > 1 ? $"{head.Name}_{name}" : name;
        foreach (var head in Heads)
            foreach (var metric in head.Metrics) logs[UniqueName(logs, Prefixed(metric.Name, head))] = metric.Result();
        foreach (var head in Heads)
            foreach (var metric in head.WeightedMetrics)
            {
                var name = Prefixed(metric.Name, head);
                logs[logs.ContainsKey(name) ? UniqueName(logs, Prefixed("weighted_" + metric.Name, head)) : name] = metric.Result();
            }
        return logs;
    }

    static string UniqueName(Dictionary<string, double> logs, string name)
    {
        if (!logs.ContainsKey(name)) return name;
        for (int i = 1; ; i++)
            if (!logs.ContainsKey($"{name}_{i}")) return $"{name}_{i}";
    }

    /// <summary>Keras's <c>evaluate</c>: the loss and metrics over <paramref name="data"/> in batches, metrics reset first.</summary>
    public Dictionary<string, double> Evaluate(TrainingData data, int batchSize)
    {
        ResetMetrics();
        foreach (var rows in Batches(data.Count, batchSize, null)) TestStep(data.Take(rows));
        return Logs();
    }

    /// <summary>Row indices of each batch: in order, or shuffled by <paramref name="random"/> (once per call).</summary>
    IEnumerable<Tensor> Batches(long count, int batchSize, Random? random)
    {
        var order = Enumerable.Range(0, (int)count).Select(i => (long)i).ToArray();
        random?.Shuffle(order);
        for (long start = 0; start < count; start += batchSize)
            yield return tensor(order[(int)start..(int)Math.Min(count, start + batchSize)], ScalarType.Int64, model.Device);
    }

    /// <summary>Keras's <c>fit</c> loop.</summary>
    public History Fit(TrainingData train, TrainingData? validation, int batchSize, int epochs, bool shuffle, IReadOnlyList<Callback> callbacks,
        IProgress<TrainingProgress>? progress, int initialEpoch, int? seed)
    {
        var history = new History();
        var all = callbacks.Prepend(history).ToList();
        foreach (var callback in all) callback.Model = model;
        var random = shuffle ? seed is { } s ? new Random(s) : new Random() : null;
        int steps = (int)((train.Count + batchSize - 1) / batchSize);
        model.StopTraining = false;
        Dictionary<string, double> epochLogs = [];
        try
        {
            foreach (var callback in all) callback.OnTrainBegin();
            for (int epoch = initialEpoch; epoch < epochs; epoch++)
            {
                ResetMetrics();
                foreach (var callback in all) callback.OnEpochBegin(epoch);
                var clock = Stopwatch.StartNew();
                int step = 0;
                foreach (var rows in Batches(train.Count, batchSize, random))
                {
                    foreach (var callback in all) callback.OnTrainBatchBegin(step);
                    double batchLoss;
                    using (var scope = NewDisposeScope()) batchLoss = TrainStep(train.Take(rows));
                    var logs = Logs();
                    step++;
                    progress?.Report(new TrainingProgress(epoch, epochs, step, steps, logs, batchLoss, false, clock.Elapsed));
                    foreach (var callback in all) callback.OnTrainBatchEnd(step - 1, logs);
                    if (model.StopTraining) break;
                }
                epochLogs = Logs();
                model.UpdateInferenceWeights();
                if (validation is not null)
                    foreach (var (name, value) in Evaluate(validation, batchSize)) epochLogs["val_" + name] = value;
                progress?.Report(new TrainingProgress(epoch, epochs, step, steps, epochLogs, null, true, clock.Elapsed));
                foreach (var callback in all) callback.OnEpochEnd(epoch, epochLogs);
                if (model.StopTraining) break;
            }
            foreach (var callback in all) callback.OnTrainEnd(epochLogs);
        }
        finally
        {
            model.UpdateInferenceWeights();
        }
        return history;
    }

    /// <summary>The weights' current values, in <see cref="Variables"/> order.</summary>
    public IReadOnlyList<NdArray> Values() => variables.Select(v => TensorConversions.ToNdArray(v.Value)).ToList();

    /// <summary>Sets every weight (in <see cref="Variables"/> order).</summary>
    public void SetValues(IReadOnlyList<NdArray> values)
    {
        if (values.Count != variables.Count)
            throw new KerasPortException($"model '{model.Description.Name}' has {variables.Count} weights, got {values.Count} arrays");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (int i = 0; i < values.Count; i++)
        {
            if (!values[i].Shape.SequenceEqual(variables[i].Value.Sizes()))
                throw new WeightMismatchException(variables[i].LayerPath, variables[i].Name,
                    $"expects shape ({string.Join(", ", variables[i].Value.Sizes())}), got {values[i].ShapeText}");
            variables[i].Value.copy_(TensorConversions.ToTensor(NdArray.Of(values[i].ToFloats(), values[i].Shape), model.Device));
        }
    }

    /// <summary>The description of the model with the current weight values (fresh arrays), for inference and saving.</summary>
    public ModelDescription CurrentDescription()
    {
        var values = new Dictionary<NdArray, NdArray>(ReferenceEqualityComparer.Instance);
        foreach (var variable in variables) values[variable.Source] = TensorConversions.ToNdArray(variable.Value);
        return WithValues(description, values);
    }

    static ModelDescription WithValues(ModelDescription built, Dictionary<NdArray, NdArray> values) => built with
    {
        Layers = built.Layers.Select(layer => layer.Nested is { } nested
            ? layer with { Nested = WithValues(nested, values) }
            : layer with { Weights = layer.Weights.Select(w => values.TryGetValue(w.Value, out var v) ? w with { Value = v } : w).ToList() }).ToList(),
    };

    /// <summary>
    /// Keras's <c>get_compile_config</c>, in the form <c>.keras</c> files store it: one loss (and flat metric lists) for a
    /// single output, lists per output otherwise.
    /// </summary>
    public JsonObject CompileConfig()
    {
        static JsonNode? MetricList(IReadOnlyList<Metric> metrics) =>
            metrics.Count == 0 ? null : new JsonArray(metrics.Select(m => m.Serialized?.DeepClone() ?? JsonValue.Create(m.Name)).ToArray());
        bool single = Heads.Count == 1;
        return new JsonObject
        {
            ["optimizer"] = Optimizer.Serialize(),
            ["loss"] = single ? Heads[0].Loss!.Serialized.DeepClone() : new JsonArray(Heads.Select(h => h.Loss?.Serialized.DeepClone()).ToArray()),
            ["loss_weights"] = Heads.All(h => h.LossWeight is null) ? null
                : single ? Heads[0].LossWeight : new JsonArray(Heads.Select(h => (JsonNode?)(h.LossWeight ?? 1.0)).ToArray()),
            ["metrics"] = single ? MetricList(Heads[0].Metrics)
                : Heads.All(h => h.Metrics.Count == 0) ? null : new JsonArray(Heads.Select(h => MetricList(h.Metrics) ?? new JsonArray()).ToArray()),
            ["weighted_metrics"] = single ? MetricList(Heads[0].WeightedMetrics)
                : Heads.All(h => h.WeightedMetrics.Count == 0) ? null : new JsonArray(Heads.Select(h => MetricList(h.WeightedMetrics) ?? new JsonArray()).ToArray()),
            ["run_eagerly"] = false,
            ["steps_per_execution"] = 1,
            ["jit_compile"] = false,
        };
    }

    /// <summary>The optimizer's variables as Keras saves them.</summary>
    public OptimizerState OptimizerState()
    {
        Optimizer.EnsureScalars(model.Device);
        return new OptimizerState(Optimizer.Name, Optimizer.Variables.Select(v => TensorConversions.ToNdArray(v.Value)).ToList());
    }

    /// <summary>
    /// Restores an optimizer state saved by Keras (or by <see cref="OptimizerState"/>): builds the optimizer on the
    /// trainable weights and copies the values when their number and shapes match, as Keras's
    /// <c>load_own_variables</c> does; returns false (leaving the fresh state) when they do not.
    /// </summary>
    public bool RestoreOptimizerState(OptimizerState state)
    {
        if (Trainable.Count == 0) return false;
        Optimizer.Build(Trainable);
        if (state.Variables.Count != Optimizer.Variables.Count
            || state.Variables.Zip(Optimizer.Variables).Any(p => !p.First.Shape.SequenceEqual(p.Second.Value.Sizes())))
            return false;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (saved, variable) in state.Variables.Zip(Optimizer.Variables))
            variable.Value.copy_(TensorConversions.ToTensor(saved, model.Device).to_type(variable.Value.dtype));
        return true;
    }

    void DisposeVariables()
    {
        foreach (var variable in variables) variable.Value.Dispose();
        variables.Clear();
    }

    public void Dispose()
    {
        DisposeVariables();
        Optimizer.Dispose();
        lossTracker.Dispose();
        foreach (var metric in AllMetrics) metric.Dispose();
    }
}
