using System.CommandLine;
using KerasPort.Converters.Model;
using KerasPort.Reference.Worker;
using Spectre.Console;

namespace KerasPort.Cli.Commands;

/// <summary>
/// <c>kerasport reference MODEL --out CASE_DIR</c>: runs MODEL in the user's own Python Keras and writes a golden case
/// (the layout of ../shared/golden) that <c>kerasport verify</c> reads.
/// </summary>
internal static class ReferenceCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var input = ReferenceOptions.Input();
        var python = ReferenceOptions.Python();
        var output = new Option<string>("--out", "-o") { Description = "Case folder to write (case.json, io.npz, model.keras, ...)", Required = true }.OutputFolder();
        var family = new Option<string>("--family") { Description = "Family recorded in case.json", DefaultValueFactory = _ => "custom" };
        var command = new Command("reference", "Run a model in real Python Keras and write a golden case folder for 'kerasport verify'.");
        model.AddTo(command);
        command.Options.Add(input);
        command.Options.Add(output);
        command.Options.Add(python);
        command.Options.Add(family);
        command.SetAction(result => CliErrors.Guard(result, () =>
        {
            var description = model.Load(result);
            var inputs = ReferenceOptions.Inputs(result.GetValue(input), description);
            using var keras = PythonWorkerReference.Start(result.GetValue(python));
            AnsiConsole.MarkupLine($"reference: {Markup.Escape(keras.Info.ToString())}");
            var loaded = keras.LoadModel(result.GetValue(model.Model)!, result.GetValue(model.Weights));
            var directory = result.GetValue(output)!;
            var files = keras.WriteGoldenCase(loaded, inputs, directory, result.GetValue(family)!);
            AnsiConsole.MarkupLine($"wrote {Markup.Escape(directory)}: {Markup.Escape(string.Join(", ", files))}");
            return 0;
        }));
        return command;
    }
}

/// <summary>Options shared by the commands that run the reference Keras.</summary>
internal static class ReferenceOptions
{
    public static Option<string?> Input() => new Option<string?>("--input", "-i")
    {
        Description = ".npy or .npz model inputs (keys: input names, optionally 'in/'-prefixed). Default: seeded normal floats, token ids for integer/Embedding inputs",
    }.InputFile();

    public static Option<string?> Python() => new("--python")
    {
        Description = $"Python with Keras installed (default: ${WorkerCommand.PythonVariable}, else python3)",
    };

    /// <summary>The inputs from <paramref name="path"/>, or generated from the model's input specs; keyed by input layer name.</summary>
    public static IReadOnlyDictionary<string, NdArray> Inputs(string? path, ModelDescription description)
    {
        if (path is null) return ReferenceInputs.Generate(description);
        var arrays = PredictCommand.ReadInputs(path, description);
        return description.Inputs.Select((reference, i) => KeyValuePair.Create(reference.Layer, arrays[i])).ToDictionary(StringComparer.Ordinal);
    }
}
