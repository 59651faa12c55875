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
        var host = ReferenceOptions.Host();
        var output = new Option<string>("--out", "-o") { Description = "Case folder to write (case.json, io.npz, model.keras, ...)", Required = true }.OutputFolder();
        var family = new Option<string>("--family") { Description = "Family recorded in case.json", DefaultValueFactory = _ => "custom" };
        // Hidden: a check for the real-Keras tests (see ReferenceThreadCheck), not a user feature.
        var checkThreads = new Option<int>("--check-threads")
        {
            Description = "Also call the reference from N threads at once and check every answer against a single-thread run (exit 1 when one differs or a thread hangs)",
            Hidden = true,
        }.NotNegative();
        var command = new Command("reference", "Run a model in real Python Keras and write a golden case folder for 'kerasport verify'.");
        model.AddTo(command, input, output, python, host, family, checkThreads);
        command.SetAction(result => CliErrors.Guard(result, () =>
        {
            var description = model.Load(result);
            var inputs = ReferenceOptions.Inputs(result.GetValue(input), description);
            using var keras = ReferenceOptions.Start(result, python, host, beside: false).Reference;
            AnsiConsole.MarkupLine($"reference: {Markup.Escape(keras.Info.ToString())}");
            var loaded = keras.LoadModel(result.GetValue(model.Model)!, result.GetValue(model.Weights));
            var directory = result.GetValue(output)!;
            var files = keras.WriteGoldenCase(loaded, inputs, directory, result.GetValue(family)!);
            AnsiConsole.MarkupLine($"wrote {Markup.Escape(directory)}: {Markup.Escape(string.Join(", ", files))}");
            if (result.GetValue(checkThreads) is not (> 0 and var threads)) return 0;
            var problems = ReferenceThreadCheck.Run(keras, loaded, result.GetValue(model.Model)!, result.GetValue(model.Weights), inputs, threads, TimeSpan.FromMinutes(5));
            foreach (var problem in problems) AnsiConsole.MarkupLine($"[red]check-threads:[/] {Markup.Escape(problem)}");
            AnsiConsole.MarkupLine(problems.Count == 0
                ? $"check-threads: {threads} threads at once (each: load, layer outputs of its own model and of the shared one, predict) agree bit for bit with a single-thread run"
                : $"[red]check-threads: {problems.Count} problems in {threads} threads[/]");
            return problems.Count == 0 ? 0 : 1;
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

    public static Option<string?> Host()
    {
        var host = new Option<string?>("--python-host")
        {
            Description = "Where Python runs: 'inprocess' (embedded with pythonnet) or 'worker' (a separate process). Default: in-process where the interpreter's libpython is found, else worker",
        };
        host.AcceptOnlyFromAmong("inprocess", "worker");
        return host;
    }

    /// <summary>Starts the reference Keras on the host asked for and prints which host runs it.</summary>
    /// <param name="result">The parsed command line.</param>
    /// <param name="python">The --python option.</param>
    /// <param name="host">The --python-host option.</param>
    /// <param name="beside">
    /// True when this command also runs KerasPort's libtorch (see <see cref="KerasReferenceHost.Start"/>); then an
    /// in-process Keras on the torch backend runs in a child <c>kerasport reference</c> process.
    /// </param>
    public static StartedReference Start(ParseResult result, Option<string?> python, Option<string?> host, bool beside)
    {
        var started = KerasReferenceHost.Start(result.GetValue(python), result.GetValue(host) switch
        {
            "inprocess" => PythonHost.InProcess,
            "worker" => PythonHost.Worker,
            _ => null,
        }, beside, beside ? KerasPortCommand.ThisProgram() : null);
        AnsiConsole.MarkupLine(Markup.Escape(started.HostLine));
        return started;
    }

    /// <summary>The inputs from <paramref name="path"/>, or generated from the model's input specs; keyed by input layer name.</summary>
    public static IReadOnlyDictionary<string, NdArray> Inputs(string? path, ModelDescription description)
    {
        if (path is null) return ReferenceInputs.Generate(description);
        var arrays = PredictCommand.ReadInputs(path, description);
        return description.Inputs.Select((reference, i) => KeyValuePair.Create(reference.Layer, arrays[i])).ToDictionary(StringComparer.Ordinal);
    }
}
