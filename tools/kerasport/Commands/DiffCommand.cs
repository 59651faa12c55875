using System.CommandLine;
using KerasPort.Converters;
using KerasPort.Converters.Numpy;
using KerasPort.Reference.Golden;
using KerasPort.Reference.Parity;
using KerasPort.Reference.Worker;
using KerasPort.Runtime;
using Spectre.Console;

namespace KerasPort.Cli.Commands;

/// <summary>
/// <c>kerasport diff MODEL (--reference python | --case CASE_DIR)</c>: compares every layer's output with Keras's, in
/// graph order, and names the first layer that diverges. Exit code 1 when any output is out of tolerance, or when
/// the live reference gave no outputs for some layer (listed as not compared) and <c>--final-only</c> was not given.
/// </summary>
internal static class DiffCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var reference = new Option<string?>("--reference") { Description = "Where Keras's outputs come from: 'python' runs the model in your Python Keras" };
        reference.AcceptOnlyFromAmong("python");
        var caseDirectory = new Option<string?>("--case") { Description = "A golden case folder (case.json + io.npz) holding Keras's outputs and inputs" }.InputFolder();
        var input = ReferenceOptions.Input();
        var python = ReferenceOptions.Python();
        var host = ReferenceOptions.Host();
        var finalOnly = new Option<bool>("--final-only")
        {
            Description = "With --reference python: compare only the model outputs (not every layer) and accept layers Keras cannot give outputs for",
        };
        var html = new Option<string?>("--html") { Description = "Also write a self-contained HTML report (table and plots) to this file" }.OutputFile();
        var command = new Command("diff", "Compare every layer's output with Keras's and name the first divergent layer.");
        model.AddTo(command, reference, caseDirectory, input, python, host, finalOnly, html);
        command.SetAction(result => CliErrors.Guard(result, () =>
        {
            var description = model.Load(result);
            string source;
            LayerDiffReport report;
            if (result.GetValue(caseDirectory) is { } directory)
            {
                if (result.GetValue(reference) is not null) throw new UsageException("give either --reference python or --case, not both");
                if (result.GetValue(finalOnly)) throw new UsageException("--final-only goes with --reference python; a golden case is compared layer by layer");
                var goldenCase = GoldenCase.Load(directory);
                if (result.GetValue(input) is { } path)
                {
                    // Other inputs than the case's: only the case's tolerance is used, its recorded outputs cannot be.
                    throw new UsageException($"--input {path}: a golden case brings its own inputs (io.npz 'in/' keys); use --reference python for other inputs");
                }
                using var runtime = model.Create(result, description);
                report = LayerDiff.Run(runtime, goldenCase);
                source = $"golden case {goldenCase.Id}";
            }
            else if (result.GetValue(reference) is not null)
            {
                var inputs = ReferenceOptions.Inputs(result.GetValue(input), description);
                ReferenceOutputs expected;
                using (var keras = ReferenceOptions.Start(result, python, host, beside: true).Reference)
                {
                    var loaded = keras.LoadModel(result.GetValue(model.Model)!, result.GetValue(model.Weights));
                    expected = keras.LayerOutputs(loaded, inputs);
                    source = keras.Info.ToString();
                }
                using var runtime = model.Create(result, description);
                report = LayerDiff.Run(runtime, LayerDiff.CaseInputs(description, inputs, "inputs"), expected, Tolerance.Default, result.GetValue(finalOnly));
            }
            else throw new UsageException("say where Keras's outputs come from: --reference python or --case CASE_DIR");

            Render(report, source);
            if (result.GetValue(html) is { } htmlPath)
            {
                DiffHtmlReport.Write(htmlPath, report, result.GetValue(model.Model)!, source);
                AnsiConsole.MarkupLine($"wrote {Markup.Escape(htmlPath)}");
            }
            return report.PassedCompletely ? 0 : 1;
        }));
        return command;
    }

    static void Render(LayerDiffReport report, string source)
    {
        AnsiConsole.MarkupLine($"reference: {Markup.Escape(source)}; tolerance atol={report.Tolerance.Atol:G3} rtol={report.Tolerance.Rtol:G3}");
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in new[] { "#", "layer", "class", "shape", "max abs err", "max rel err", "mean abs err", "NaN/Inf", "status" })
            table.AddColumn(column);
        var first = report.FirstDivergent;
        for (int i = 0; i < report.Rows.Count; i++)
        {
            var row = report.Rows[i];
            var c = row.Comparison;
            var status = row.Passed ? "[green]ok[/]" : ReferenceEquals(row, first) ? "[red bold]FIRST DIVERGENCE[/]" : "[red]FAIL[/]";
            if (c.Problem is not null) status += " " + Markup.Escape(c.Problem);
            table.AddRow((i + 1).ToString(), Markup.Escape(row.Key), Markup.Escape(row.ClassName), Markup.Escape(Shape(c.Shape)),
                Number(c.MaxAbsError), Number(c.MaxRelError), Number(c.MeanAbsError), c.NonFiniteMismatches.ToString(), status);
        }
        AnsiConsole.Write(table);
        foreach (var layer in report.NotCompared)
            AnsiConsole.MarkupLine($"[red]not compared:[/] {Markup.Escape(layer.Layer)} ({Markup.Escape(layer.ClassName)}): {Markup.Escape(layer.Reason)}");
        var line = Markup.Escape(report.Describe());
        AnsiConsole.MarkupLine(report.PassedCompletely ? $"[green]{line}[/]" : $"[red]{line}[/]");
    }

    internal static string Shape(IReadOnlyList<long>? shape) => shape is null ? "" : "(" + string.Join(", ", shape) + (shape.Count == 1 ? ",)" : ")");

    internal static string Number(double value) => double.IsNaN(value) ? "nan" : value == 0 ? "0" : value.ToString("0.###e+0", System.Globalization.CultureInfo.InvariantCulture);
}
