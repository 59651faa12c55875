using KerasPort.Converters;
using Spectre.Console;

namespace KerasPort.Cli.Commands;

/// <summary>Turns the typed errors of bad input into one clear line and exit code 2, instead of a stack trace.</summary>
internal static class CliErrors
{
    /// <summary>Runs <paramref name="body"/>, reporting <see cref="KerasPortException"/>s.</summary>
    public static int Guard(Func<int> body)
    {
        try { return body(); }
        catch (KerasPortException e)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 2;
        }
    }
}
