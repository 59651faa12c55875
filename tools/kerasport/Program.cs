using System.CommandLine;
using KerasPort.Cli.Commands;
using Spectre.Console;

namespace KerasPort.Cli;

/// <summary>The <c>kerasport</c> command line.</summary>
public static class Program
{
    /// <summary>Parses the command line and runs the chosen command; returns its exit code.</summary>
    public static int Main(string[] args)
    {
        if (Console.IsOutputRedirected)
        {
            // Logs and pipes get plain, unwrapped lines that grep and CI log readers can match.
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
            AnsiConsole.Profile.Width = 1000;
        }
        var root = new RootCommand("kerasport: load, run and verify Keras models in .NET, without Python (only reference/diff --reference python use your Python Keras).")
        {
            SummaryCommand.Create(),
            PredictCommand.Create(),
            VerifyCommand.Create(),
            ReferenceCommand.Create(),
            DiffCommand.Create(),
            BenchCommand.Create(),
            ConvertCommand.Create(),
            FitCommand.Create(),
            Bench.BusyProcesses.CreateSpinCommand(),
        };
        return CliErrors.Invoke(root.Parse(args));
    }
}
