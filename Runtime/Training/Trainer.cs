using System.Diagnostics;
using System.Text.Json.Nodes;
using KerasPort.Converters;
using KerasPort.Converters.Model;
using KerasPort.Runtime.Graph;
using KerasPort.Runtime.Layers;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Training;

/// <summary>Samples for <c>Fit</c>/<c>Evaluate</c> as tensors on the model's device: inputs, targets, optional weights.</summary>
internal sealed record TrainingData(IReadOnlyList<Tensor> X, Tensor Y, Tensor? SampleWeight)
{
    public long Count => X[0].shape[0];

    /// <summary>The samples at <paramref name="rows"/>.</summary>
    public TrainingData Take(Tensor rows) =>
        new(X.Select(x => x.index_select(0, rows)).ToList(), Y.index_select(0, rows), SampleWeight?.index_select(0, rows));
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

    public Trainer(KerasModel model, LayerRegistry registry, Optimizer optimizer, Loss loss, IReadOnlyList<Metric> metrics, IReadOnlyList<Metric> weightedMetrics)
    {
        if (model.Description.Outputs.Count != 1)
            throw new KerasPortException($"model '{model.Description.Name}' has {model.Description.Outputs.Count} outputs; training supports single-output models");
        this.model = model;
        this.registry = registry;
        Optimizer = optimizer;
        Loss = loss;
        Metrics = metrics;
        WeightedMetrics = weightedMetrics;
        description = model.BuiltDescription();
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
    public Loss Loss { get; }
    public IReadOnlyList<Metric> Metrics { get; }
    public IReadOnlyList<Metric> WeightedMetrics { get; }
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

    /// <summary>Keras's <c>compute_loss</c>: the compiled loss plus the added (activity) losses and the weight regularization.</summary>
    Tensor TotalLoss(Tensor y, Tensor yPred, Tensor? sampleWeight, IReadOnlyList<Tensor> added)
    {
        var loss = Loss.Compute(y, yPred, sampleWeight);
        var extra = added.Concat(regularized.Select(r => r.Regularizer.Penalty(r.Variable.Value))).ToList();
        return extra.Count == 0 ? loss : stack([loss, .. extra]).sum();
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
        var yPred = graph.Execute(batch.X, null, true, added)[0];
        var loss = TotalLoss(batch.Y, yPred, batch.SampleWeight, added);
        lossTracker.UpdateScalar(loss, batch.Count);
        var scaled = Optimizer.LossScaleFactor is { } factor ? loss * factor : loss;
        foreach (var variable in Trainable) variable.Value.grad = null;
        scaled.backward();
        var gradients = Trainable.Select(v => v.Value.grad).ToList();
        GradientObserver?.Invoke(gradients);
        Optimizer.Apply(gradients, Trainable);
        foreach (var variable in Trainable) variable.Value.grad = null;
        using (no_grad())
            foreach (var (variable, constraint) in constrained)
                variable.Value.copy_(constraint(variable.Value));
        UpdateMetrics(batch, yPred.detach());
        return loss.item<float>();
    }

    /// <summary>One evaluation step on the model's inference layers (<c>training=False</c>): loss and metrics.</summary>
    void TestStep(TrainingData batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var added = new List<Tensor>();
        var yPred = model.Graph.Execute(batch.X, null, false, added)[0];
        lossTracker.UpdateScalar(TotalLoss(batch.Y, yPred, batch.SampleWeight, added), batch.Count);
        UpdateMetrics(batch, yPred);
    }

    void UpdateMetrics(TrainingData batch, Tensor yPred)
    {
        foreach (var metric in Metrics) metric.Update(batch.Y, yPred);
        foreach (var metric in WeightedMetrics) metric.Update(batch.Y, yPred, batch.SampleWeight);
    }

    public void ResetMetrics()
    {
        lossTracker.Reset();
        foreach (var metric in Metrics.Concat(WeightedMetrics)) metric.Reset();
    }

    /// <summary>Keras's <c>get_metrics_result</c>: the loss, then the metrics, then the weighted metrics (<c>weighted_</c> on a clash).</summary>
    public Dictionary<string, double> Logs()
    {
        var logs = new Dictionary<string, double>(StringComparer.Ordinal) { ["loss"] = lossTracker.Result() };
        foreach (var metric in Metrics) logs[UniqueName(logs, metric.Name)] = metric.Result();
        foreach (var metric in WeightedMetrics)
            logs[logs.ContainsKey(metric.Name) ? UniqueName(logs, "weighted_" + metric.Name) : metric.Name] = metric.Result();
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
            if (!values[i].Shape.SequenceEqual(variables[i].Value.shape))
                throw new WeightMismatchException(variables[i].LayerPath, variables[i].Name,
                    $"expects shape ({string.Join(", ", variables[i].Value.shape)}), got {values[i].ShapeText}");
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

    /// <summary>Keras's <c>get_compile_config</c>, in the form <c>.keras</c> files store it.</summary>
    public JsonObject CompileConfig() => new()
    {
        ["optimizer"] = Optimizer.Serialize(),
        ["loss"] = Loss.Serialized.DeepClone(),
        ["loss_weights"] = null,
        ["metrics"] = Metrics.Count == 0 ? null : new JsonArray(Metrics.Select(m => m.Serialized?.DeepClone() ?? JsonValue.Create(m.Name)).ToArray()),
        ["weighted_metrics"] = WeightedMetrics.Count == 0 ? null : new JsonArray(WeightedMetrics.Select(m => m.Serialized?.DeepClone() ?? JsonValue.Create(m.Name)).ToArray()),
        ["run_eagerly"] = false,
        ["steps_per_execution"] = 1,
        ["jit_compile"] = false,
    };

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
            || state.Variables.Zip(Optimizer.Variables).Any(p => !p.First.Shape.SequenceEqual(p.Second.Value.shape)))
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
        foreach (var metric in Metrics.Concat(WeightedMetrics)) metric.Dispose();
    }
}
