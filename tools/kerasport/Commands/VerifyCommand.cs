using System.CommandLine;
using System.Text.Json;
using KerasPort.Reference.Golden;
using KerasPort.Reference.Parity;
using Spectre.Console;

namespace KerasPort.Cli.Commands;

/// <summary>
/// <c>kerasport verify DIR</c>: runs every golden case under DIR in every requested format and compares each
/// layer's output with Keras's. Its last line is exactly <c>N passed, N failed, N unsupported</c>.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("dir") { Description = "A golden case folder, or a folder of them (e.g. ../shared/golden/core)" };
        directory.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } path && !Directory.Exists(path)) result.AddError($"dir {path}: no such folder");
        });
        var formats = new Option<string>("--formats") { Description = "Comma-separated formats to check: keras,h5,json,legacy,yaml,architecture (model.json alone: builds with fresh weights and checks parameter counts), keras-dir (the unzipped .keras folder model/), sharded (model.json + the sharded index model.weights.json). A case is checked in each format whose files it has", DefaultValueFactory = _ => string.Join(",", GoldenFormat.All.Select(f => f.Name)) }.Checked(FormatProblem);
        var json = new Option<string?>("--json") { Description = "Write a machine-readable report to this file" }.OutputFile();
        var command = new Command("verify", "Check KerasPort against golden Keras outputs, layer by layer.");
        command.Arguments.Add(directory);
        command.Options.Add(formats);
        command.Options.Add(json);
        command.SetAction(result => CliErrors.Guard(result, () =>
        {
            var chosen = Names(result.GetValue(formats)!).Select(GoldenFormat.Parse).ToList();
            var root = result.GetValue(directory)!;
            var caseDirectories = GoldenCase.FindCaseDirectories(root);
            if (caseDirectories.Count == 0) throw new UsageException($"dir {root}: no golden case in it (a folder with case.json)");
            var results = new List<ParityResult>();
            foreach (var caseDirectory in caseDirectories)
            {
                var goldenCase = GoldenCase.Load(caseDirectory);
                // A KerasHub tokenizer case has no model to run: its strings and ids are compared instead.
                var outcomes = TokenizerParity.IsTokenizerCase(caseDirectory)
                    ? [TokenizerParity.Run(goldenCase)]
                    : chosen.Where(f => f.IsPresentIn(goldenCase)).Select(format => ParityRunner.Run(goldenCase, format));
                foreach (var outcome in outcomes)
                {
                    results.Add(outcome);
                    AnsiConsole.MarkupLine(Colour(outcome));
                }
            }
            if (result.GetValue(json) is { } reportPath) WriteReport(reportPath, results);
            int passed = results.Count(r => r.Status == ParityStatus.Pass);
            int unsupported = results.Count(r => r.Status == ParityStatus.Unsupported);
            int failed = results.Count - passed - unsupported;
            Console.WriteLine($"{passed} passed, {failed} failed, {unsupported} unsupported");
            return failed > 0 ? 1 : 0;
        }));
        return command;
    }

    static string? FormatProblem(string formats) =>
        !Names(formats).Any() ? "names no format"
        : Names(formats).FirstOrDefault(name => !GoldenFormat.All.Any(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase))) is { } unknown
            ? $"unknown format '{unknown}' (known: {string.Join(", ", GoldenFormat.All.Select(f => f.Name))})"
        : null;

    static IEnumerable<string> Names(string formats) => formats.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    static string Colour(ParityResult result) => result.Status switch
    {
        ParityStatus.Pass => $"[green]{Markup.Escape(result.Describe())}[/]",
        ParityStatus.Unsupported => $"[yellow]{Markup.Escape(result.Describe())}[/]",
        _ => $"[red]{Markup.Escape(result.Describe())}[/]",
    };

    static void WriteReport(string path, IReadOnlyList<ParityResult> results)
    {
        var report = results.Select(r => new
        {
            @case = r.CaseId,
            format = r.Format,
            status = r.Status.ToString().ToLowerInvariant(),
            max_abs_error = double.IsNaN(r.MaxAbsError) ? (double?)null : r.MaxAbsError,
            worst = r.Worst?.Key,
            message = r.Message,
            unsupported_class = r.UnsupportedClass,
            comparisons = r.Comparisons.Select(c => new { key = c.Key, max_abs_error = double.IsNaN(c.MaxAbsError) ? (double?)null : c.MaxAbsError, passed = c.Passed, problem = c.Problem }),
        });
        File.WriteAllText(path, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
    }
}
