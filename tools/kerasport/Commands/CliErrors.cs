using KerasPort.Converters;
using Spectre.Console;

namespace KerasPort.Cli.Commands;

/// <summary>Turns the typed errors of bad input into one clear line and exit code 2, instead of a stack trace.</summary>
internal static class CliErrors
{
    /// <summary>Runs <paramref name="body"/>, reporting <see cref="KerasPortException"/>s (exit 2) and unexpected failures (exit 3).</summary>
    public static int Guard(Func<int> body)
    {
        try { return body(); }
        catch (KerasPortException e)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 2;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug in KerasPort, not bad input: still one line, never a stack trace dumped on the user.
            AnsiConsole.MarkupLine($"[red]internal error[/] (please report): {Markup.Escape(e.GetType().Name)}: {Markup.Escape(e.Message)}");
            return 3;
        }
    }
}
