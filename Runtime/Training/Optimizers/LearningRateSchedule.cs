namespace KerasPort.Runtime.Training;

/// <summary>
/// A learning rate that changes with the optimizer's step count (keras/src/optimizers/schedules/learning_rate_schedule.py).
/// The optimizer evaluates it at its iteration count before the step is counted: step k (1-based) uses
/// <c>schedule(k - 1)</c>, across epochs. Values are float32, as Keras computes them.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate at <paramref name="step"/> (the optimizer's iterations so far), a float32 scalar tensor.</summary>
    public abstract Tensor At(long step, Device device);

    /// <summary>Keras's serialized form: <c>{"module", "class_name", "config", "registered_name"}</c>.</summary>
    public JsonObject ToConfig() => new()
    {
        ["module"] = "keras.optimizers.schedules",
        ["class_name"] = GetType().Name,
        ["config"] = Config(),
        ["registered_name"] = null,
    };

    /// <summary>The schedule's <c>get_config()</c>.</summary>
    protected abstract JsonObject Config();

    /// <summary>A float32 scalar tensor holding <paramref name="value"/> (a Python float cast to float32).</summary>
    protected static Tensor Float32(double value, Device device) => tensor((float)value, float32, device);

    /// <summary>The schedule a serialized Keras schedule describes.</summary>
    /// <exception cref="KerasPortException">An unknown schedule class or a malformed config.</exception>
    public static LearningRateSchedule FromConfig(JsonObject serialized)
    {
        var config = serialized["config"] as JsonObject ?? [];
        double Number(string key, double? fallback = null) => ConfigValues.Number(config[key])
            ?? fallback ?? throw new KerasPortException($"learning rate schedule {KerasConfigReader.Text(serialized["class_name"])}: '{key}' is missing");
        bool Flag(string key) => ConfigValues.Flag(config[key]);
        return KerasConfigReader.Text(serialized["class_name"]) switch
        {
            "ExponentialDecay" => new ExponentialDecay(Number("initial_learning_rate"), (long)Number("decay_steps"), Number("decay_rate"), Flag("staircase")),
            "InverseTimeDecay" => new InverseTimeDecay(Number("initial_learning_rate"), (long)Number("decay_steps"), Number("decay_rate"), Flag("staircase")),
            "PiecewiseConstantDecay" => new PiecewiseConstantDecay(
                (config["boundaries"] as JsonArray ?? []).Select(n => (long)(ConfigValues.Number(n) ?? 0)).ToArray(),
                (config["values"] as JsonArray ?? []).Select(n => ConfigValues.Number(n) ?? 0).ToArray()),
            var other => throw new KerasPortException($"learning rate schedule '{other}' is not supported (ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay are)"),
        };
    }
}

/// <summary>
/// What <see cref="ExponentialDecay"/> and <see cref="InverseTimeDecay"/> share: the rate at step 0, a decay period
/// and factor, and the step measured in periods (floored when <see cref="Staircase"/>), all in float32.
/// </summary>
public abstract class PeriodicDecay(double initialLearningRate, long decaySteps, double decayRate, bool staircase) : LearningRateSchedule
{
    /// <summary>The rate at step 0.</summary>
    public double InitialLearningRate { get; } = initialLearningRate;

    /// <summary>Steps per decay period (positive).</summary>
    public long DecaySteps { get; } = decaySteps > 0 ? decaySteps : throw new ArgumentOutOfRangeException(nameof(decaySteps), "decay_steps must be > 0");

    /// <summary>Decay factor.</summary>
    public double DecayRate { get; } = decayRate;

    /// <summary>Decay in whole periods.</summary>
    public bool Staircase { get; } = staircase;

    /// <summary><c>step / decay_steps</c> in float32, floored when <see cref="Staircase"/>.</summary>
    protected Tensor Periods(long step, Device device)
    {
        var periods = Float32(step, device) / Float32(DecaySteps, device);
        return Staircase ? periods.floor() : periods;
    }

    /// <inheritdoc />
    protected override JsonObject Config() => new()
    {
        ["initial_learning_rate"] = InitialLearningRate,
        ["decay_steps"] = DecaySteps,
        ["decay_rate"] = DecayRate,
        ["staircase"] = Staircase,
        ["name"] = GetType().Name,
    };
}

/// <summary>
/// Keras <c>ExponentialDecay</c>: <c>initial_learning_rate * decay_rate ^ (step / decay_steps)</c>, with the exponent
/// floored when <c>staircase</c>; all in float32.
/// </summary>
public sealed class ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, bool staircase = false)
    : PeriodicDecay(initialLearningRate, decaySteps, decayRate, staircase)
{
    /// <inheritdoc />
    public override Tensor At(long step, Device device)
    {
        using var scope = NewDisposeScope();
        return (Float32(InitialLearningRate, device) * Float32(DecayRate, device).pow(Periods(step, device))).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Keras <c>InverseTimeDecay</c>: <c>initial_learning_rate / (1 + decay_rate * step / decay_steps)</c>, the quotient
/// floored when <c>staircase</c>; all in float32.
/// </summary>
public sealed class InverseTimeDecay(double initialLearningRate, long decaySteps, double decayRate, bool staircase = false)
    : PeriodicDecay(initialLearningRate, decaySteps, decayRate, staircase)
{
    /// <inheritdoc />
    public override Tensor At(long step, Device device)
    {
        using var scope = NewDisposeScope();
        var denominator = (Float32(DecayRate, device) * Periods(step, device)).Plus(1.0f);
        return (Float32(InitialLearningRate, device) / denominator).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Keras <c>PiecewiseConstantDecay</c>: <c>values[0]</c> while <c>step &lt;= boundaries[0]</c>, <c>values[i]</c> while
/// <c>boundaries[i-1] &lt; step &lt;= boundaries[i]</c>, and the last value after the last boundary.
/// </summary>
public sealed class PiecewiseConstantDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule; <paramref name="values"/> has one more entry than <paramref name="boundaries"/>.</summary>
    public PiecewiseConstantDecay(long[] boundaries, double[] values)
    {
        if (values.Length != boundaries.Length + 1)
            throw new ArgumentException($"PiecewiseConstantDecay needs one more value than boundaries, got {boundaries.Length} boundaries and {values.Length} values");
        Boundaries = boundaries;
        Values = values;
    }

    /// <summary>Step boundaries, increasing.</summary>
    public long[] Boundaries { get; }

    /// <summary>Learning rates per interval.</summary>
    public double[] Values { get; }

    /// <inheritdoc />
    public override Tensor At(long step, Device device)
    {
        int interval = Array.FindIndex(Boundaries, b => step <= b);
        return Float32(Values[interval < 0 ? Values.Length - 1 : interval], device);
    }

    /// <inheritdoc />
    protected override JsonObject Config() => new()
    {
        ["boundaries"] = new JsonArray(Boundaries.Select(b => (JsonNode?)b).ToArray()),
        ["values"] = new JsonArray(Values.Select(v => (JsonNode?)v).ToArray()),
        ["name"] = "PiecewiseConstant",
    };
}

/// <summary>
/// An optimizer's learning rate: a constant (Keras keeps it in a float32 <c>learning_rate</c> variable) or a
/// <see cref="LearningRateSchedule"/>. Converts implicitly from both, so <c>new Adam(0.01)</c> and
/// <c>new SGD(new ExponentialDecay(0.1, 100, 0.9))</c> both read naturally.
/// </summary>
public readonly struct LearningRate
{
    LearningRate(double? constant, LearningRateSchedule? schedule)
    {
        Constant = constant;
        Schedule = schedule;
    }

    /// <summary>The constant rate, or null for a schedule.</summary>
    public double? Constant { get; }

    /// <summary>The schedule, or null for a constant.</summary>
    public LearningRateSchedule? Schedule { get; }

    /// <summary>A constant learning rate.</summary>
    public static implicit operator LearningRate(double value) => new(value, null);

    /// <summary>A scheduled learning rate.</summary>
    public static implicit operator LearningRate(LearningRateSchedule schedule) => new(null, schedule ?? throw new ArgumentNullException(nameof(schedule)));
}
