using KerasPort.Runtime.Graph;
using KerasPort.Runtime.Training;

namespace KerasPort.Runtime;

/// <summary>Validation samples for <see cref="KerasModel.Fit(NdArray, NdArray, int, int, bool, NdArray?, IReadOnlyDictionary{int, double}?, ValidationData?, IEnumerable{Callback}?, IProgress{TrainingProgress}?, double, int, int?)"/>.</summary>
/// <param name="X">The inputs, in <c>model.inputs</c> order.</param>
/// <param name="Y">The targets, in <c>model.outputs</c> order.</param>
/// <param name="SampleWeight">Optional per-sample weights.</param>
public sealed record ValidationData(IReadOnlyList<NdArray> X, IReadOnlyList<NdArray> Y, NdArray? SampleWeight = null)
{
    /// <summary>Validation data of a single-input, single-output model.</summary>
    public ValidationData(NdArray x, NdArray y, NdArray? sampleWeight = null) : this([x], [y], sampleWeight) { }
}

public sealed partial class KerasModel
{
    Trainer? trainer;

    /// <summary>True once <c>Compile</c> (or <see cref="CompileFromFile(CustomObjects?)"/>) has set an optimizer and a loss.</summary>
    public bool IsCompiled => trainer is not null;

    /// <summary>The compiled optimizer (its <see cref="Training.Optimizer.Variables"/> are the optimizer's state), or null.</summary>
    public Optimizer? Optimizer => trainer?.Optimizer;

    /// <summary>What each output was compiled with (loss, loss weight, metrics), in <c>model.outputs</c> order; empty until compiled.</summary>
    public IReadOnlyList<OutputHead> CompiledOutputs => trainer?.Heads ?? [];

    /// <summary>
    /// The model's weights as the live tensors training updates, in <c>model.weights</c> order: each layer's weights in
    /// Keras order (trainable and non-trainable, e.g. BatchNormalization's moving statistics), nested models depth first.
    /// Empty until the model is compiled.
    /// </summary>
    public IReadOnlyList<ModelVariable> Variables => trainer?.Variables ?? [];

    /// <summary>Keras's <c>model.stop_training</c>: set it from a callback to end <c>Fit</c> after the current batch.</summary>
    public bool StopTraining { get; set; }

    /// <summary>
    /// Keras's <c>compile</c>: sets the optimizer, the loss (applied to every output of a multi-output model) and the
    /// metrics of a single-output model. <paramref name="metrics"/> ignore sample weights; <paramref name="weightedMetrics"/>
    /// use them (reported as <c>weighted_&lt;name&gt;</c> when the name is taken). Compiling again starts a fresh
    /// optimizer. The weights are not changed.
    /// </summary>
    /// <exception cref="KerasPortException">Metrics for a multi-output model (give them per output), or a layer that cannot be trained.</exception>
    public void Compile(Optimizer optimizer, Loss loss, IEnumerable<Metric>? metrics = null, IEnumerable<Metric>? weightedMetrics = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        var (metricList, weightedList) = (metrics?.ToList() ?? [], weightedMetrics?.ToList() ?? []);
        if (OutputNames.Count > 1 && (metricList.Count > 0 || weightedList.Count > 0))
            throw new KerasPortException($"model '{Description.Name}' has {OutputNames.Count} outputs: give metrics per output (Compile with OutputHead entries)");
        Compile(optimizer, OutputNames.Select((name, i) => new OutputHead(name, loss, null, i == 0 ? metricList : [], i == 0 ? weightedList : [])).ToList());
    }

    /// <summary>
    /// Keras's <c>compile</c> with a loss, loss weight and metrics per output (<paramref name="outputs"/> in
    /// <c>model.outputs</c> order; see <see cref="KerasModel.OutputNames"/>). The total loss is the sum of the weighted
    /// output losses; with several losses, each output's unweighted one is logged as <c>&lt;output&gt;_loss</c>, and with
    /// several outputs metric names are prefixed with the output's name.
    /// </summary>
    /// <exception cref="KerasPortException">The number of outputs does not match, no output has a loss, or a layer cannot be trained.</exception>
    public void Compile(Optimizer optimizer, IReadOnlyList<OutputHead> outputs)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(outputs);
        trainer?.Dispose();
        trainer = null;
        trainer = new Trainer(this, registry, optimizer, outputs);
    }

    /// <summary>
    /// <see cref="Compile(Optimizer, Loss, IEnumerable{Metric}?, IEnumerable{Metric}?)"/> with Keras's string
    /// identifiers: <c>Compile("adam", "categorical_crossentropy", "accuracy")</c>.
    /// </summary>
    public void Compile(string optimizer, string loss, params string[] metrics) =>
        Compile(Training.Optimizer.FromConfig(System.Text.Json.Nodes.JsonValue.Create(optimizer)), Training.Loss.Get(loss), metrics.Select(Metric.Get));

    /// <summary>
    /// Keras's <c>compile_from_config</c>: compiles the model as its file records (<c>compile_config</c> of a
    /// <c>.keras</c> file, <c>training_config</c> of a legacy <c>.h5</c>; losses, loss weights and metrics per output as
    /// lists or dicts by output name for multi-output models), and restores the optimizer's saved state when the file
    /// has one that fits. Custom losses are looked up in <paramref name="customObjects"/>.
    /// </summary>
    /// <exception cref="KerasPortException">The file was saved uncompiled, or names something KerasPort cannot build.</exception>
    public void CompileFromFile(CustomObjects? customObjects = null) => CompileFromFile(customObjects, null);

    /// <summary>
    /// <see cref="CompileFromFile(CustomObjects?)"/> with the losses and metrics the file records but another
    /// <paramref name="optimizer"/> (a fresh one: the file's optimizer state is not restored); null keeps the file's.
    /// </summary>
    /// <exception cref="KerasPortException">The file was saved uncompiled, or names something KerasPort cannot build.</exception>
    public void CompileFromFile(CustomObjects? customObjects, Optimizer? optimizer)
    {
        var config = Description.CompileConfig is { } compiled && compiled["optimizer"] is not null ? compiled
            : throw new KerasPortException($"model '{Description.Name}' was saved without a compile config; call Compile with an optimizer and a loss");
        Compile(optimizer ?? Training.Optimizer.FromConfig(config["optimizer"]), CompileConfigReader.Outputs(config, OutputNames, customObjects));
        if (optimizer is null && Description.OptimizerState is { } state) trainer!.RestoreOptimizerState(state);
    }

    /// <summary>The compiled state (for tests that look inside a training step).</summary>
    internal Trainer? Trainer => trainer;

    Trainer Compiled => trainer ?? throw new KerasPortException($"model '{Description.Name}' must be compiled before training: call Compile or CompileFromFile");

    /// <summary>
    /// Keras's <c>fit</c> for a single-input, single-output model; see
    /// <see cref="Fit(IReadOnlyList{NdArray}, IReadOnlyList{NdArray}, int, int, bool, NdArray?, IReadOnlyDictionary{int, double}?, ValidationData?, IEnumerable{Callback}?, IProgress{TrainingProgress}?, double, int, int?)"/>.
    /// </summary>
    public History Fit(NdArray x, NdArray y, int batchSize = 32, int epochs = 1, bool shuffle = true, NdArray? sampleWeight = null,
        IReadOnlyDictionary<int, double>? classWeight = null, ValidationData? validationData = null, IEnumerable<Callback>? callbacks = null,
        IProgress<TrainingProgress>? progress = null, double validationSplit = 0, int initialEpoch = 0, int? seed = null) =>
        Fit([x], [y], batchSize, epochs, shuffle, sampleWeight, classWeight, validationData, callbacks, progress, validationSplit, initialEpoch, seed);

    /// <summary>
    /// Keras's <c>fit</c> with inputs in <c>model.inputs</c> order and targets in <c>model.outputs</c> order (one
    /// sample weight array serves every output): trains for <paramref name="epochs"/> epochs of batches of <paramref name="batchSize"/> samples
    /// (the last one may be smaller), in order or reshuffled every epoch (<paramref name="seed"/> makes the order
    /// repeatable; Keras's own random order cannot be reproduced). <paramref name="classWeight"/> turns into per-sample
    /// weights (<c>class_weight[label]</c>, labels from the argmax of one-hot targets or the rounded integer ones;
    /// missing classes weigh 1). <paramref name="validationSplit"/> holds out the last fraction of the samples (before
    /// shuffling); <paramref name="validationData"/> gives them explicitly; either is evaluated after every epoch into
    /// <c>val_</c> logs. Callbacks see Keras's hooks; <paramref name="progress"/> gets a report after every batch and
    /// epoch. The model's weights change in place (<see cref="Variables"/>, and the inference layers after every epoch).
    /// Returns the <see cref="History"/>.
    /// </summary>
    /// <exception cref="KerasPortException">The model is not compiled, or the data do not fit it.</exception>
    public History Fit(IReadOnlyList<NdArray> x, IReadOnlyList<NdArray> y, int batchSize = 32, int epochs = 1, bool shuffle = true, NdArray? sampleWeight = null,
        IReadOnlyDictionary<int, double>? classWeight = null, ValidationData? validationData = null, IEnumerable<Callback>? callbacks = null,
        IProgress<TrainingProgress>? progress = null, double validationSplit = 0, int initialEpoch = 0, int? seed = null)
    {
        var compiled = Compiled;
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), "batch size must be at least 1");
        if (validationSplit is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(validationSplit), "validation split must be in [0, 1)");
        if (classWeight is not null && sampleWeight is not null) throw new ArgumentException("class_weight and sample_weight cannot be used together");
        if (classWeight is not null && y.Count != 1) throw new ArgumentException("class_weight is only supported for single-output models");
        if (validationSplit > 0 && validationData is not null) throw new ArgumentException("give either validationData or validationSplit");
        CheckData(x, y, sampleWeight);
        if (validationSplit > 0)
        {
            long count = y[0].Shape[0];
            long splitAt = (long)Math.Floor(count * (1.0 - validationSplit));
            validationData = new ValidationData(x.Select(a => Rows(a, splitAt, count)).ToList(), y.Select(a => Rows(a, splitAt, count)).ToList(),
                sampleWeight is null ? null : Rows(sampleWeight, splitAt, count));
            x = x.Select(a => Rows(a, 0, splitAt)).ToList();
            y = y.Select(a => Rows(a, 0, splitAt)).ToList();
            if (sampleWeight is not null) sampleWeight = Rows(sampleWeight, 0, splitAt);
        }
        if (classWeight is not null) sampleWeight = ClassSampleWeights(y[0], classWeight);
        if (validationData is not null) CheckData(validationData.X, validationData.Y, validationData.SampleWeight);
        using var scope = NewDisposeScope();
        return compiled.Fit(ToTensors(x, y, sampleWeight), validationData is null ? null : ToTensors(validationData.X, validationData.Y, validationData.SampleWeight),
            batchSize, epochs, shuffle, callbacks?.ToList() ?? [], progress, initialEpoch, seed);
    }

    /// <summary>
    /// Keras's <c>train_on_batch</c>: one optimizer step on the given samples as one batch. Returns the loss that was
    /// differentiated and the logs (running means since the metrics were last reset: see <see cref="ResetMetrics"/>).
    /// </summary>
    /// <exception cref="KerasPortException">The model is not compiled, or the data do not fit it.</exception>
    public (double Loss, IReadOnlyDictionary<string, double> Logs) TrainOnBatch(IReadOnlyList<NdArray> x, IReadOnlyList<NdArray> y, NdArray? sampleWeight = null)
    {
        var compiled = Compiled;
        CheckData(x, y, sampleWeight);
        double loss;
        using (var scope = NewDisposeScope()) loss = compiled.TrainStep(ToTensors(x, y, sampleWeight));
        UpdateInferenceWeights();
        return (loss, compiled.Logs());
    }

    /// <summary>Keras's <c>reset_metrics</c>: clears the loss tracker and every metric.</summary>
    public void ResetMetrics() => Compiled.ResetMetrics();

    /// <summary>Keras's <c>evaluate</c> for a single-input, single-output model: the loss and metrics over the samples, by batch.</summary>
    public IReadOnlyDictionary<string, double> Evaluate(NdArray x, NdArray y, int batchSize = 32, NdArray? sampleWeight = null) =>
        Evaluate([x], [y], batchSize, sampleWeight);

    /// <summary>Keras's <c>evaluate</c>: the loss (with regularization) and metrics over the samples, computed in batches with <c>training=False</c>.</summary>
    /// <exception cref="KerasPortException">The model is not compiled, or the data do not fit it.</exception>
    public IReadOnlyDictionary<string, double> Evaluate(IReadOnlyList<NdArray> x, IReadOnlyList<NdArray> y, int batchSize = 32, NdArray? sampleWeight = null)
    {
        var compiled = Compiled;
        CheckData(x, y, sampleWeight);
        using var scope = NewDisposeScope();
        return compiled.Evaluate(ToTensors(x, y, sampleWeight), batchSize);
    }

    /// <summary>Keras's <c>get_weights</c>: every weight's value in <c>model.weights</c> order (see <see cref="Variables"/>).</summary>
    public IReadOnlyList<NdArray> GetWeights() => trainer?.Values() ?? Flatten(BuiltDescription).ToList();

    /// <summary>Keras's <c>set_weights</c>: replaces every weight (in <see cref="GetWeights"/> order) and rebuilds the layers.</summary>
    /// <exception cref="KerasPortException">The count or a shape does not match.</exception>
    public void SetWeights(IReadOnlyList<NdArray> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (trainer is not null)
        {
            trainer.SetValues(values);
            UpdateInferenceWeights();
            return;
        }
        var built = BuiltDescription;
        var current = Flatten(built).ToList();
        if (values.Count != current.Count) throw new KerasPortException($"model '{Description.Name}' has {current.Count} weights, got {values.Count} arrays");
        var replacement = new Dictionary<NdArray, NdArray>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < values.Count; i++)
        {
            if (!values[i].Shape.SequenceEqual(current[i].Shape))
                throw new KerasPortException($"weight #{i} of model '{Description.Name}' has shape {current[i].ShapeText}, got {values[i].ShapeText}");
            replacement[current[i]] = values[i];
        }
        ReplaceGraph(Replace(built, replacement));
    }

    static IEnumerable<NdArray> Flatten(ModelDescription description) =>
        description.Layers.SelectMany(l => l.Nested is { } nested ? Flatten(nested) : l.Weights.Select(w => w.Value));

    static ModelDescription Replace(ModelDescription description, Dictionary<NdArray, NdArray> values) => description with
    {
        Layers = description.Layers.Select(layer => layer.Nested is { } nested
            ? layer with { Nested = Replace(nested, values) }
            : layer with { Weights = layer.Weights.Select(w => values.TryGetValue(w.Value, out var v) ? w with { Value = v } : w).ToList() }).ToList(),
    };

    /// <summary>
    /// The description to save: the current weights, and, once compiled, Keras's <c>compile_config</c> and the
    /// optimizer's state (otherwise those the file had).
    /// </summary>
    public ModelDescription DescriptionForSaving() => trainer is null
        ? BuiltDescription
        : BuiltDescription with { CompileConfig = trainer.CompileConfig(), OptimizerState = trainer.OptimizerState() };

    /// <summary>
    /// Keras's <c>model.save</c>: writes the model with its current weights, compile config and optimizer state, in the
    /// format the path's ending selects (<c>.keras</c>; others through <see cref="ModelSavers.Register"/>).
    /// </summary>
    /// <exception cref="KerasPortException">No writer for the path, or a layer the format cannot hold.</exception>
    public void Save(string path) => ModelSavers.Save(DescriptionForSaving(), path);

    /// <summary>Keras's <c>save_weights</c>: the weights alone, in Keras 3's <c>.weights.h5</c> layout.</summary>
    /// <exception cref="KerasPortException">The path does not end in <c>.weights.h5</c>.</exception>
    public void SaveWeights(string path)
    {
        if (!path.EndsWith(".weights.h5", StringComparison.OrdinalIgnoreCase))
            throw new KerasPortException($"cannot save weights to '{path}': the file name must end in .weights.h5");
        ModelSavers.Save(BuiltDescription, path);
    }

    /// <summary>Rebuilds the inference layers from the training weights (after every epoch of <c>Fit</c>).</summary>
    internal void UpdateInferenceWeights()
    {
        if (trainer is not null) ReplaceGraph(trainer.CurrentDescription());
    }

    void ReplaceGraph(ModelDescription description)
    {
        var previous = Graph;
        Graph = new ModelGraph(description, registry, Device);
        previous.Dispose();
    }

    void CheckData(IReadOnlyList<NdArray> x, IReadOnlyList<NdArray> y, NdArray? sampleWeight)
    {
        if (x.Count != Inputs.Count) throw new ModelInputException($"model '{Description.Name}' takes {Inputs.Count} inputs, got {x.Count}");
        if (y.Count != OutputNames.Count) throw new ModelInputException($"model '{Description.Name}' has {OutputNames.Count} outputs, got {y.Count} target arrays");
        CheckInputs(x.Select(a => a.Shape).ToList());
        if (y.Any(a => a.Shape.Length == 0)) throw new ModelInputException("targets must have a batch axis");
        long count = y[0].Shape[0];
        if (x.Concat(y).Any(a => a.Shape[0] != count))
            throw new ModelInputException($"inputs have {string.Join("/", x.Select(a => a.Shape[0]))} samples, targets {string.Join("/", y.Select(a => a.Shape[0]))}");
        if (count == 0) throw new ModelInputException("no samples to train on");
        if (sampleWeight is not null && (sampleWeight.Shape.Length == 0 || sampleWeight.Shape[0] != count))
            throw new ModelInputException($"sample weights of shape {sampleWeight.ShapeText} do not fit {count} samples");
    }

    TrainingData ToTensors(IReadOnlyList<NdArray> x, IReadOnlyList<NdArray> y, NdArray? sampleWeight) => new(
        x.Select(a => TensorConversions.ToTensor(a, Device)).ToList(),
        y.Select(a => TensorConversions.ToTensor(a, Device)).ToList(),
        sampleWeight is null ? null : TensorConversions.ToTensor(NdArray.Of(sampleWeight.ToFloats(), sampleWeight.Shape), Device));

    static NdArray Rows(NdArray array, long start, long end)
    {
        long row = array.Shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        var data = Array.CreateInstance(array.Data.GetType().GetElementType()!, (end - start) * row);
        Array.Copy(array.Data, start * row, data, 0, (end - start) * row);
        return new NdArray(array.DType, [end - start, .. array.Shape.Skip(1)], data);
    }

    /// <summary>
    /// keras/src/trainers/data_adapters/data_adapter_utils.py <c>class_weight_to_sample_weights</c>: each sample weighs
    /// <c>class_weight[label]</c> (argmax of one-hot targets, else the rounded label), 1 for classes not listed.
    /// </summary>
    static NdArray ClassSampleWeights(NdArray y, IReadOnlyDictionary<int, double> classWeight)
    {
        var values = y.ToDoubles();
        long count = y.Shape[0];
        long width = y.Shape.Length >= 2 ? y.Shape.Skip(1).Aggregate(1L, (a, b) => a * b) : 1;
        bool oneHot = y.Shape.Length >= 2 && y.Shape[^1] > 1;
        var weights = new float[count];
        for (long i = 0; i < count; i++)
        {
            int label = oneHot
                ? (int)Enumerable.Range(0, (int)width).MaxBy(c => values[i * width + c])
                : (int)Math.Round(values[i * width], MidpointRounding.ToEven);
            weights[i] = (float)classWeight.GetValueOrDefault(label, 1.0);
        }
        return NdArray.Of(weights, count);
    }
}
