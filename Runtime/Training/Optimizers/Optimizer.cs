using TorchSharp;

namespace KerasPort.Runtime.Training;

/// <summary>One variable of an optimizer's state, in Keras's <c>optimizer.variables</c> order.</summary>
/// <param name="Name">Keras's variable name: <c>iteration</c>, <c>learning_rate</c>, or the slot name (<c>momentum</c>, ...).</param>
/// <param name="Slot">The kind of state: <c>iteration</c>, <c>learning_rate</c>, <c>momentum</c>, <c>velocity</c>, ...</param>
/// <param name="ForWeight">The model variable a per-weight slot belongs to; null for the optimizer's scalars.</param>
/// <param name="Value">The live tensor (int32 for the iteration count, float32 otherwise).</param>
public sealed record OptimizerVariable(string Name, string Slot, ModelVariable? ForWeight, Tensor Value);

/// <summary>
/// A Keras 3 optimizer (keras/src/optimizers/base_optimizer.py with the torch backend's
/// keras/src/backend/torch/optimizers): <c>apply</c> clips the gradients (<see cref="Clipnorm"/> per tensor,
/// <see cref="GlobalClipnorm"/> over all, <see cref="Clipvalue"/> element-wise), then applies decoupled weight decay
/// <c>w *= 1 - weight_decay * lr</c> to every trainable weight, then the subclass's update, then counts the step. All
/// arithmetic is float32, with Keras's Python-float hyperparameters entering torch ops as scalars, as in Keras.
/// </summary>
public abstract partial class Optimizer : IDisposable
{
    readonly List<OptimizerVariable> variables = [];
    readonly Dictionary<string, Tensor?[]> slots = new(StringComparer.Ordinal);
    readonly List<(string Pattern, bool IsName)> weightDecayExclusions = [];
    List<ModelVariable> built = [];
    Tensor? iterations;
    Tensor? learningRateVariable;

    /// <summary>Sets the learning rate; the name defaults to Keras's, the class name in snake case (<c>rm_sprop</c>).</summary>
    protected Optimizer(LearningRate learningRate)
    {
        LearningRate = learningRate;
        Name = KerasConfigReader.ToSnakeCase(GetType().Name);
    }

    /// <summary>The optimizer's Keras name (e.g. <c>adam</c>), used for its saved state.</summary>
    public string Name { get; set; }

    /// <summary>The configured learning rate (a constant or a schedule).</summary>
    public LearningRate LearningRate { get; }

    /// <summary>Decoupled weight decay (<c>w *= 1 - weight_decay * lr</c> before each update), or null.</summary>
    public double? WeightDecay { get; set; }

    /// <summary>Clip each gradient tensor to this L2 norm, or null.</summary>
    public double? Clipnorm { get; set; }

    /// <summary>Clip each gradient element to <c>[-clipvalue, clipvalue]</c>, or null.</summary>
    public double? Clipvalue { get; set; }

    /// <summary>Clip all gradients together to this global L2 norm, or null.</summary>
    public double? GlobalClipnorm { get; set; }

    /// <summary>Keras's <c>loss_scale_factor</c>: the loss is multiplied by it before the gradients and the gradients divided by it, or null.</summary>
    public double? LossScaleFactor { get; set; }

    /// <summary>
    /// Keras's <c>optimizer.variables</c>, in its order: <c>iteration</c>, <c>learning_rate</c> (absent with a schedule),
    /// then the slots the subclass creates when it is built on the model's trainable weights (first training step).
    /// </summary>
    public IReadOnlyList<OptimizerVariable> Variables => variables;

    /// <summary>True once built on the trainable weights.</summary>
    public bool IsBuilt => built.Count > 0;

    /// <summary>The number of steps applied so far (Keras's <c>iterations</c>).</summary>
    public long Iterations
    {
        get => iterations is null ? 0 : iterations.item<int>();
        set
        {
            using var noGrad = no_grad();
            EnsureScalars(iterations?.device ?? CPU);
            using var count = ((int)value).ToScalar();
            iterations!.fill_(count);
        }
    }

    /// <summary>
    /// Excludes weights from weight decay, as Keras's <c>exclude_from_weight_decay(var_names=...)</c>: a weight whose
    /// name (<c>kernel</c>, <c>bias</c>, <c>gamma</c>, ...) contains one of <paramref name="names"/> is not decayed.
    /// </summary>
    public void ExcludeFromWeightDecay(params string[] names)
    {
        if (IsBuilt) throw new InvalidOperationException("exclude_from_weight_decay() can only be configured before the optimizer is built");
        weightDecayExclusions.AddRange(names.Select(n => (n, true)));
    }

    /// <summary>The learning rate of the next step, a float32 scalar tensor (the schedule evaluated at <see cref="Iterations"/>).</summary>
    public Tensor CurrentLearningRate(Device device)
    {
        EnsureScalars(device);
        return LearningRate.Schedule is { } schedule ? schedule.At(Iterations, device) : learningRateVariable!.alias();
    }

    /// <summary>Creates <c>iteration</c> and <c>learning_rate</c>, which Keras creates with the optimizer.</summary>
    internal void EnsureScalars(Device device)
    {
        if (iterations is not null) return;
        iterations = zeros([], int32, device).DetachFromDisposeScope();
        variables.Add(new OptimizerVariable("iteration", "iteration", null, iterations));
        if (LearningRate.Constant is { } constant)
        {
            learningRateVariable = tensor((float)constant, float32, device).DetachFromDisposeScope();
            variables.Add(new OptimizerVariable("learning_rate", "learning_rate", null, learningRateVariable));
        }
    }

    /// <summary>Creates the optimizer's state for <paramref name="trainable"/> (Keras's <c>build</c>): no-op once built.</summary>
    public void Build(IReadOnlyList<ModelVariable> trainable)
    {
        if (IsBuilt) return;
        if (trainable.Count == 0) throw new KerasPortException("the model has no trainable weights to optimize");
        using var noGrad = no_grad();
        EnsureScalars(trainable[0].Value.device);
        built = trainable.ToList();
        BuildSlots(built);
    }

    /// <summary>Creates the subclass's slots with <see cref="AddSlots"/> and <see cref="AddScalar"/>, in Keras's order.</summary>
    protected abstract void BuildSlots(IReadOnlyList<ModelVariable> trainable);

    /// <summary>
    /// Adds the slots <paramref name="names"/> (each with its initial value) for every weight, interleaved per weight as
    /// Keras's <c>add_optimizer_variables(var_list, [names...])</c> creates them (weight 0's slots, then weight 1's, ...).
    /// Call once per slot for Keras's one-list-per-slot layouts (RMSprop).
    /// </summary>
    protected void AddSlots(IReadOnlyList<ModelVariable> trainable, params (string Name, double Initial)[] names)
    {
        foreach (var (name, _) in names) slots[name] = new Tensor?[trainable.Count];
        for (int i = 0; i < trainable.Count; i++)
            foreach (var (name, initialValue) in names)
            {
                var value = full(trainable[i].Value.Sizes(), Of(initialValue), float32, trainable[i].Value.device).DetachFromDisposeScope();
                slots[name][i] = value;
                variables.Add(new OptimizerVariable(name, name, trainable[i], value));
            }
    }

    /// <summary>Adds an optimizer-wide float32 scalar (Nadam's <c>u_product</c>) and returns it.</summary>
    protected Tensor AddScalar(string slot, double initialValue, Device device)
    {
        var value = tensor((float)initialValue, float32, device).DetachFromDisposeScope();
        variables.Add(new OptimizerVariable(slot, slot, null, value));
        return value;
    }

    /// <summary>The <paramref name="name"/> slot of trainable weight <paramref name="index"/>.</summary>
    protected Tensor Slot(string name, int index) => slots[name][index] ?? throw new InvalidOperationException($"optimizer slot '{name}' #{index} was not built");

    /// <summary>The step count as a float32 scalar plus <paramref name="offset"/> (Keras's <c>cast(iterations + offset, float32)</c>).</summary>
    protected Tensor Step(int offset) => iterations!.to_type(ScalarType.Int64).add(Of(offset), Of(1)).to_type(ScalarType.Float32);

    /// <summary>
    /// Applies one step (Keras's <c>optimizer.apply(grads, trainable_variables)</c>): weights whose gradient is null
    /// are skipped; the rest are clipped, decayed and updated in place; then the iteration count increments.
    /// </summary>
    public void Apply(IReadOnlyList<Tensor?> gradients, IReadOnlyList<ModelVariable> trainable)
    {
        if (gradients.Count != trainable.Count) throw new ArgumentException($"{gradients.Count} gradients for {trainable.Count} weights");
        Build(trainable);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var indices = new List<int>();
        var grads = new List<Tensor>();
        for (int i = 0; i < trainable.Count; i++)
        {
            if (gradients[i] is not { } g) continue;
            int index = built.IndexOf(trainable[i]);
            if (index < 0) throw new KerasPortException($"weight '{trainable[i].Path}' is not one the optimizer was built with; create a new optimizer for a new set of weights");
            indices.Add(index);
            grads.Add(LossScaleFactor is { } scale ? g / Of(scale) : g);
        }
        if (grads.Count == 0) throw new KerasPortException("no gradients provided for any weight");
        var weights = indices.Select(i => built[i]).ToList();
        grads = Clip(grads);
        var learningRate = CurrentLearningRate(weights[0].Value.device);
        ApplyWeightDecay(weights, learningRate);
        Update(grads, weights.Select(w => w.Value).ToList(), indices, learningRate);
        iterations!.PlusInPlace(Of(1));
    }

    /// <summary>
    /// The subclass's update of <paramref name="weights"/> (in place) from the clipped <paramref name="grads"/>;
    /// <paramref name="indices"/> give each weight's slot index and <paramref name="learningRate"/> is a float32 scalar.
    /// </summary>
    protected abstract void Update(IReadOnlyList<Tensor> grads, IReadOnlyList<Tensor> weights, IReadOnlyList<int> indices, Tensor learningRate);

    /// <summary>keras/src/optimizers/base_optimizer.py <c>_clip_gradients</c>, <c>_clip_by_norm</c>, <c>clip_by_global_norm</c>.</summary>
    List<Tensor> Clip(List<Tensor> grads)
    {
        if (Clipnorm is { } clipnorm && clipnorm > 0)
            return grads.Select(g =>
            {
                var l2sum = g.Squared().sum().reshape(Enumerable.Repeat(1L, (int)g.dim()).ToArray());
                var positive = l2sum > Of(0);
                var l2norm = where(positive, where(positive, l2sum, ones_like(l2sum)).sqrt(), l2sum);
                return g * Of(clipnorm) / l2norm.clamp_min(Of(clipnorm));
            }).ToList();
        if (GlobalClipnorm is { } global && global > 0)
        {
            var norm = stack(grads.Select(g => g.Squared().sum()).ToArray()).sum().sqrt();
            var scaleForFinite = norm.reciprocal().clamp_max(Of(1.0 / global)) * Of(global);
            var scale = scaleForFinite.Plus(norm - norm);
            return grads.Select(g => g * scale).ToList();
        }
        if (Clipvalue is { } clipvalue && clipvalue > 0)
            return grads.Select(g => g.clamp(Of(-clipvalue), Of(clipvalue))).ToList();
        return grads;
    }

    /// <summary>keras/src/backend/torch/optimizers/torch_optimizer.py <c>_apply_weight_decay</c>: <c>w *= 1 - weight_decay * lr</c>.</summary>
    void ApplyWeightDecay(IReadOnlyList<ModelVariable> weights, Tensor learningRate)
    {
        if (WeightDecay is not { } decay) return;
        var factor = (learningRate * Of(decay)).OneMinus();
        foreach (var weight in weights)
            if (UsesWeightDecay(weight)) weight.Value.mul_(factor);
    }

    bool UsesWeightDecay(ModelVariable weight) =>
        !weightDecayExclusions.Any(e => weight.Name.Contains(e.Pattern, StringComparison.Ordinal));

    /// <summary>
    /// Keras's <c>get_config()</c>: the base keys (name, learning_rate, weight_decay, clip settings, EMA and accumulation
    /// settings KerasPort leaves off) followed by <see cref="OwnConfig"/>.
    /// </summary>
    public JsonObject GetConfig()
    {
        var config = new JsonObject
        {
            ["name"] = Name,
            ["learning_rate"] = LearningRate.Schedule is { } schedule ? schedule.ToConfig() : LearningRate.Constant,
            ["weight_decay"] = WeightDecay,
            ["clipnorm"] = Clipnorm,
            ["global_clipnorm"] = GlobalClipnorm,
            ["clipvalue"] = Clipvalue,
            ["use_ema"] = false,
            ["ema_momentum"] = 0.99,
            ["ema_overwrite_frequency"] = null,
            ["loss_scale_factor"] = LossScaleFactor,
            ["gradient_accumulation_steps"] = null,
        };
        foreach (var (key, value) in OwnConfig()) config[key] = value;
        foreach (var key in config.Select(kv => kv.Key).ToList())
            if (config[key] is JsonValue number && number.TryGetValue<double>(out var d)) config[key] = AsPythonFloat(d);
        return config;
    }

    /// <summary>
    /// A float that Python reads back as a float: JSON writes 0.0 as <c>0</c>, which Python reads as an int, and
    /// Keras's optimizers refuse that (keras/src/optimizers/sgd.py: "momentum must be a float between [0, 1]").
    /// A parsed number keeps its text, so an integral value is written as <c>0.0</c> and still reads as a double.
    /// </summary>
    static JsonNode AsPythonFloat(double value) =>
        double.IsInteger(value) && Math.Abs(value) < 1e15
            ? JsonNode.Parse(value.ToString("F1", System.Globalization.CultureInfo.InvariantCulture))!
            : JsonValue.Create(value);

    /// <summary>The subclass's own config entries, in Keras's order.</summary>
    protected abstract IEnumerable<KeyValuePair<string, JsonNode?>> OwnConfig();

    /// <summary>Keras's serialized form for a <c>compile_config</c>: <c>{"module", "class_name", "config", "registered_name"}</c>.</summary>
    public JsonObject Serialize() => new()
    {
        ["module"] = "keras.optimizers",
        ["class_name"] = GetType().Name,
        ["config"] = GetConfig(),
        ["registered_name"] = null,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var variable in variables) variable.Value.Dispose();
        variables.Clear();
        slots.Clear();
        GC.SuppressFinalize(this);
    }
}
