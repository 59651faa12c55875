using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using KerasPort.Converters;

namespace KerasPort.Cli.Commands;

/// <summary>
/// A mistake in the command line that only shows once the command runs (e.g. a folder with no golden cases): reported
/// like a parse error, one line naming the argument plus a hint, exit code 2.
/// </summary>
internal sealed class UsageException(string message) : KerasPortException(message);

/// <summary>
/// The CLI's error conventions: every error is one line on stderr. Usage mistakes (a parse error, an argument out of
/// range, a missing output folder) and bad input (<see cref="KerasPortException"/>) exit with code 2; usage mistakes add
/// a hint (<c>see kerasport predict --help</c>), never the whole help text. Only a bug in KerasPort exits with 3.
/// </summary>
internal static class CliErrors
{
    /// <summary>Exit code of a usage mistake or of bad input.</summary>
    public const int UserError = 2;

    /// <summary>Exit code of an unexpected failure: a bug in KerasPort.</summary>
    public const int InternalError = 3;

    /// <summary>Runs <paramref name="parsed"/>'s command, or reports its parse errors on one line (exit 2).</summary>
    public static int Invoke(ParseResult parsed)
    {
        if (parsed.Action is not ParseErrorAction) return parsed.Invoke();
        return Usage(parsed, string.Join("; ", parsed.Errors.Select(Describe)));
    }

    /// <summary>A parse error's message, led by the option or argument it is about where the message leaves it out.</summary>
    static string Describe(ParseError error)
    {
        var name = error.SymbolResult switch
        {
            OptionResult option => option.Option.Name,
            ArgumentResult { Parent: OptionResult option } => option.Option.Name,
            ArgumentResult argument => argument.Argument.Name,
            _ => null,
        };
        var message = error.Message.TrimEnd('.');
        return name is null || message.Contains(name, StringComparison.Ordinal) ? message : $"{name}: {message}";
    }

    /// <summary>Runs <paramref name="body"/>, the action of <paramref name="parsed"/>'s command, reporting its errors by the conventions above.</summary>
    public static int Guard(ParseResult parsed, Func<int> body)
    {
        try { return body(); }
        catch (UsageException e) { return Usage(parsed, e.Message); }
        catch (KerasPortException e) { return Error(e.Message); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug in KerasPort, not bad input: still one line, never a stack trace dumped on the user.
            Console.Error.WriteLine($"internal error (please report): {e.GetType().Name}: {OneLine(e.Message)}");
            return InternalError;
        }
    }

    static int Usage(ParseResult parsed, string message) => Error($"{message} (see {CommandPath(parsed.CommandResult)} --help)");

    static int Error(string message)
    {
        Console.Error.WriteLine($"error: {OneLine(message)}");
        return UserError;
    }

    /// <summary>Errors stay on one line, whatever the message: grep and CI logs match them line by line.</summary>
    static string OneLine(string message) => string.Join(" ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary><c>kerasport predict</c>: the command as the user types it.</summary>
    static string CommandPath(CommandResult command) =>
        command.Parent is CommandResult parent ? $"{CommandPath(parent)} {command.Command.Name}" : "kerasport";
}
