namespace KerasPort.Runtime.Training;

public abstract partial class Optimizer
{
    /// <summary>
    /// The optimizer a Keras <c>compile_config</c> (or legacy <c>training_config.optimizer_config</c>) names: a string
    /// such as <c>"adam"</c> (Keras's defaults) or <c>{"class_name": "Adam", "config": {...}}</c>. Keras 2's <c>lr</c>
    /// is read as <c>learning_rate</c>; its <c>decay</c> is ignored, as Keras 3 ignores it.
    /// </summary>
    /// <exception cref="KerasPortException">An optimizer KerasPort does not implement, or a setting it does not support (EMA, gradient accumulation).</exception>
    public static Optimizer FromConfig(JsonNode? serialized)
    {
        var (className, config) = serialized switch
        {
            JsonValue v when v.TryGetValue<string>(out var name) => (name, new JsonObject()),
            JsonObject o => (KerasConfigReader.Text(o["class_name"]) ?? throw new KerasPortException("optimizer config has no class_name"),
                o["config"] as JsonObject ?? []),
            _ => throw new KerasPortException($"unreadable optimizer config: {serialized?.ToJsonString() ?? "null"}"),
        };
        double? Number(string key) => ConfigValues.Number(config[key]);
        bool Flag(string key, bool fallback) => ConfigValues.Flag(config[key], fallback);
        if (Flag("use_ema", false)) throw new KerasPortException($"optimizer {className}: use_ema is not supported");
        if (Number("gradient_accumulation_steps") is not null) throw new KerasPortException($"optimizer {className}: gradient_accumulation_steps is not supported");
        LearningRate? learningRate = (config["learning_rate"] ?? config["lr"]) switch
        {
            JsonObject schedule => LearningRateSchedule.FromConfig(schedule),
            JsonValue v when ConfigValues.Number(v) is { } rate => rate,
            _ => null,
        };
        Optimizer optimizer = KerasConfigReader.ToSnakeCase(className).Replace("_", "") switch
        {
            "sgd" => new SGD(learningRate, Number("momentum") ?? 0, Flag("nesterov", false)),
            "adam" => new Adam(learningRate, Number("beta_1") ?? 0.9, Number("beta_2") ?? 0.999, Number("epsilon") ?? 1e-7, Flag("amsgrad", false)),
            "adamw" => new AdamW(learningRate, Number("weight_decay") ?? 0.004, Number("beta_1") ?? 0.9, Number("beta_2") ?? 0.999, Number("epsilon") ?? 1e-7, Flag("amsgrad", false)),
            "rmsprop" => new RMSprop(learningRate, Number("rho") ?? 0.9, Number("momentum") ?? 0, Number("epsilon") ?? 1e-7, Flag("centered", false)),
            "adagrad" => new Adagrad(learningRate, Number("initial_accumulator_value") ?? 0.1, Number("epsilon") ?? 1e-7),
            "adadelta" => new Adadelta(learningRate, Number("rho") ?? 0.95, Number("epsilon") ?? 1e-7),
            "adamax" => new Adamax(learningRate, Number("beta_1") ?? 0.9, Number("beta_2") ?? 0.999, Number("epsilon") ?? 1e-7),
            "nadam" => new Nadam(learningRate, Number("beta_1") ?? 0.9, Number("beta_2") ?? 0.999, Number("epsilon") ?? 1e-7),
            "lion" => new Lion(learningRate, Number("beta_1") ?? 0.9, Number("beta_2") ?? 0.99),
            "ftrl" => new Ftrl(learningRate, Number("learning_rate_power") ?? -0.5, Number("initial_accumulator_value") ?? 0.1,
                Number("l1_regularization_strength") ?? 0, Number("l2_regularization_strength") ?? 0,
                Number("l2_shrinkage_regularization_strength") ?? 0, Number("beta") ?? 0),
            _ => throw new KerasPortException($"optimizer '{className}' is not supported (SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, Nadam, Lion, Ftrl are)"),
        };
        return optimizer.WithCommon(KerasConfigReader.Text(config["name"]), className == "AdamW" || className == "adamw" ? Number("weight_decay") ?? 0.004 : Number("weight_decay"),
            Number("clipnorm"), Number("clipvalue"), Number("global_clipnorm"), Number("loss_scale_factor"));
    }

    /// <summary>The base settings every Keras optimizer config carries.</summary>
    Optimizer WithCommon(string? name, double? weightDecay, double? clipnorm, double? clipvalue, double? globalClipnorm, double? lossScaleFactor)
    {
        if (new[] { clipnorm, clipvalue, globalClipnorm }.Count(c => c is not null) > 1)
            throw new KerasPortException("only one of clipnorm, clipvalue and global_clipnorm can be set");
        if (name is not null) Name = name;
        WeightDecay = weightDecay;
        Clipnorm = clipnorm;
        Clipvalue = clipvalue;
        GlobalClipnorm = globalClipnorm;
        LossScaleFactor = lossScaleFactor;
        return this;
    }
}
