using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using KerasPort.Converters;
using KerasPort.Converters.Model;
using KerasPort.Converters.Numpy;
using KerasPort.Runtime;
using KerasPort.Runtime.Training;
using Spectre.Console;

namespace KerasPort.Cli.Commands;

/// <summary>
/// <c>kerasport fit MODEL --data data.npz --epochs N --batch-size B -o OUT.keras</c>: fine-tunes a model with Keras's
/// own optimizer, loss and metrics (from the file's compile config, or <c>--optimizer</c>/<c>--loss</c>) and saves it.
/// </summary>
internal static class FitCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var data = new Option<string>("--data", "-d") { Description = ".npz with 'x' (or one array per input name, optionally 'x/'-prefixed), 'y' (or 'y/<output name>' per output) and optionally 'sample_weight'", Required = true }.InputFile();
        var output = new Option<string>("--output", "-o") { Description = "Where to save the fine-tuned model (.keras)", Required = true }.OutputFile();
        var epochs = new Option<int>("--epochs", "-e") { Description = "Epochs to train", DefaultValueFactory = _ => 1 }.Positive();
        var batchSize = new Option<int>("--batch-size", "-b") { Description = "Samples per batch", DefaultValueFactory = _ => 32 }.Positive();
        var noShuffle = new Option<bool>("--no-shuffle") { Description = "Train on the batches in file order (Keras's shuffle=False)" };
        var seed = new Option<int?>("--seed") { Description = "Seed of the shuffling order (and of torch's generator, for dropout and noise layers)" };
        var validation = new Option<string?>("--validation-data") { Description = ".npz of validation samples (same keys as --data), evaluated after every epoch" }.InputFile();
        var validationSplit = new Option<double>("--validation-split") { Description = "Fraction of the samples (the last ones) held out for validation, in [0, 1)", DefaultValueFactory = _ => 0 }
            .Within(fraction => fraction is >= 0 and < 1, "a fraction in [0, 1), e.g. 0.2");
        var optimizer = new Option<string?>("--optimizer") { Description = "Optimizer name (sgd, adam, adamw, rmsprop, adagrad, adadelta, adamax, nadam, lion, ftrl) instead of the file's" };
        var learningRate = new Option<double?>("--learning-rate", "--lr") { Description = "Learning rate for --optimizer (default: Keras's)" }.Positive();
        var loss = new Option<string?>("--loss") { Description = "Loss name (e.g. mse, categorical_crossentropy) instead of the file's" };
        var metrics = new Option<string?>("--metrics") { Description = "Comma-separated metric names with --loss (e.g. accuracy,mae)" };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing output file" };
        var command = new Command("fit", "Fine-tune a model with Keras's optimizers, losses and metrics and save it as .keras.");
        model.AddTo(command, data, output, epochs, batchSize, noShuffle, seed, validation, validationSplit, optimizer, learningRate, loss, metrics, force);
        command.SetAction(result => CliErrors.Guard(result, () =>
        {
            var description = model.Load(result);
            var outputPath = result.GetValue(output)!;
            if (File.Exists(outputPath) && !result.GetValue(force))
                throw new ModelFileException(outputPath, null, "already exists; pass --force to overwrite it");
            using var runtime = model.Create(result, description);
            Compile(runtime, result.GetValue(optimizer), result.GetValue(learningRate), result.GetValue(loss), result.GetValue(metrics));
            var (x, y, sampleWeight) = ReadSamples(result.GetValue(data)!, description);
            ValidationData? validationData = null;
            if (result.GetValue(validation) is { } validationPath)
            {
                var (vx, vy, vw) = ReadSamples(validationPath, description);
                validationData = new ValidationData(vx, vy, vw);
            }
            if (result.GetValue(seed) is { } s) TorchSharp.torch.random.manual_seed(s);
            int epochCount = result.GetValue(epochs);
            var history = Train(runtime, x, y, sampleWeight, validationData, result.GetValue(batchSize), epochCount,
                !result.GetValue(noShuffle), result.GetValue(validationSplit), result.GetValue(seed));
            runtime.Save(outputPath);
            var finalLogs = history.Values.ToDictionary(kv => kv.Key, kv => kv.Value[^1]);
            Console.WriteLine($"wrote {outputPath}: {history.Epochs.Count} epoch{(history.Epochs.Count == 1 ? "" : "s")}, {Logs(finalLogs)}");
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// Uses the file's compile config; <c>--optimizer</c> (and/or <c>--learning-rate</c>) replaces its optimizer,
    /// <c>--loss</c> (with <c>--metrics</c>) its loss and metrics.
    /// </summary>
    static void Compile(KerasModel model, string? optimizer, double? learningRate, string? loss, string? metrics)
    {
        // Keras's compile_from_config needs the file's optimizer; without one the CLI user must name both.
        var fileConfig = model.Description.CompileConfig is { } compiled && compiled["optimizer"] is not null ? compiled : null;
        Optimizer? chosen = optimizer is not null
            ? Optimizer.FromConfig(new JsonObject { ["class_name"] = optimizer, ["config"] = learningRate is { } rate ? new JsonObject { ["learning_rate"] = rate } : new JsonObject() })
            : learningRate is { } newRate && fileConfig?["optimizer"] is { } saved ? WithLearningRate(saved, newRate)
            : null;
        if (loss is null)
        {
            if (fileConfig is null)
                throw new UsageException($"model '{model.Description.Name}' was saved uncompiled: pass --optimizer and --loss");
            model.CompileFromFile(null, chosen);
            return;
        }
        chosen ??= fileConfig?["optimizer"] is { } fileOptimizer ? Optimizer.FromConfig(fileOptimizer)
            : throw new UsageException("--loss needs --optimizer too: the model was saved uncompiled");
        model.Compile(chosen, Loss.Get(loss), (metrics ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Metric.Get).ToList());
    }

    static Optimizer WithLearningRate(JsonNode saved, double learningRate)
    {
        var copy = saved.DeepClone();
        if (copy["config"] is JsonObject config) config["learning_rate"] = learningRate;
        return Optimizer.FromConfig(copy);
    }

    /// <summary>
    /// Inputs (<c>x</c> for one input, else by input name, optionally <c>x/</c>-prefixed), targets (<c>y</c> for one
    /// output, else <c>y/</c> + output name), optional <c>sample_weight</c>.
    /// </summary>
    static (IReadOnlyList<NdArray> X, IReadOnlyList<NdArray> Y, NdArray? SampleWeight) ReadSamples(string path, ModelDescription description)
    {
        var arrays = NpzArchive.Read(path);
        NdArray Find(string? single, string name, string prefix, string what) =>
            (single is not null ? arrays.GetValueOrDefault(single) : null) ?? arrays.GetValueOrDefault(name) ?? arrays.GetValueOrDefault(prefix + name)
            ?? throw new ModelFileException(path, name, $"no array for model {what} '{name}' (keys: {string.Join(", ", arrays.Keys)})");
        var x = description.Inputs.Select(reference => Find(description.Inputs.Count == 1 ? "x" : null, reference.Layer, "x/", "input")).ToList();
        var outputs = KerasModel.OutputNamesOf(description);
        var y = outputs.Select(name => Find(outputs.Count == 1 ? "y" : null, $"y/{name}", "", "output")).ToList();
        return (x, y, arrays.GetValueOrDefault("sample_weight"));
    }

    static History Train(KerasModel model, IReadOnlyList<NdArray> x, IReadOnlyList<NdArray> y, NdArray? sampleWeight, ValidationData? validationData,
        int batchSize, int epochs, bool shuffle, double validationSplit, int? seed)
    {
        if (Console.IsOutputRedirected)
            return model.Fit(x, y, batchSize, epochs, shuffle, sampleWeight, validationData: validationData, validationSplit: validationSplit, seed: seed,
                progress: new SynchronousProgress(p => { if (p.EpochEnd) Console.WriteLine(EpochLine(p)); }));
        History? history = null;
        AnsiConsole.Progress().AutoClear(false).HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                ProgressTask? task = null;
                history = model.Fit(x, y, batchSize, epochs, shuffle, sampleWeight, validationData: validationData, validationSplit: validationSplit, seed: seed,
                    progress: new SynchronousProgress(p =>
                    {
                        if (task is null || task.IsFinished && !p.EpochEnd)
                            task = context.AddTask($"Epoch {p.Epoch + 1}/{p.Epochs}", maxValue: p.StepsPerEpoch);
                        task.Value = p.Step;
                        task.Description = Markup.Escape(p.EpochEnd ? EpochLine(p) : $"Epoch {p.Epoch + 1}/{p.Epochs} {p.Step}/{p.StepsPerEpoch} - {Logs(p.Logs)}");
                        if (p.EpochEnd) task.StopTask();
                    }));
            });
        return history!;
    }

    /// <summary>Keras's epoch line: <c>Epoch 1/3 - 4/4 - 0.1s - loss: 0.7317 - mean_absolute_error: 0.6843</c>.</summary>
    static string EpochLine(TrainingProgress p) =>
        $"Epoch {p.Epoch + 1}/{p.Epochs} - {p.Step}/{p.StepsPerEpoch} - {p.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)}s - {Logs(p.Logs)}";

    static string Logs(IReadOnlyDictionary<string, double> logs) =>
        string.Join(" - ", logs.Select(kv => $"{kv.Key}: {kv.Value.ToString("0.0000", CultureInfo.InvariantCulture)}"));

    /// <summary>Reports on the training thread (System.Progress would post to the thread pool and reorder lines).</summary>
    sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
