using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace KerasPort.Cli.Commands;

/// <summary>
/// Checks of argument values at parse time, so that a mistake is reported before any model loads, as one line that
/// names the argument (see <see cref="CliErrors"/>).
/// </summary>
internal static class CliArguments
{
    /// <summary>
    /// An output file. The output folder policy, the same for every command: KerasPort creates the file (or, for
    /// <see cref="OutputFolder"/>, the folder) an output names, never the folder that should hold it. A missing folder is
    /// refused: most often it is a typo in the path.
    /// </summary>
    public static Option<T> OutputFile<T>(this Option<T> option) => option.Output(isFolder: false);

    /// <summary>An output folder (e.g. a golden case folder), created if missing; its parent folder must exist.</summary>
    public static Option<T> OutputFolder<T>(this Option<T> option) => option.Output(isFolder: true);

    static Option<T> Output<T>(this Option<T> option, bool isFolder)
    {
        option.Validators.Add(result =>
        {
            if (Text(result) is not { } path) return;
            var full = Path.GetFullPath(path);
            if (!isFolder && Directory.Exists(full))
                result.AddError($"{option.Name} {path}: is a folder, give a file name");
            else if (Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(full)) is { } folder && !Directory.Exists(folder))
                result.AddError($"{option.Name} {path}: folder {folder} does not exist (kerasport creates no parent folders: create it first)");
        });
        return option;
    }

    /// <summary>Accepts only values above zero.</summary>
    public static Option<T> Positive<T>(this Option<T> option) where T : struct, System.Numerics.INumber<T> =>
        option.Within(v => v > T.Zero, "a positive number");

    /// <summary>Accepts only values above zero, or none.</summary>
    public static Option<T?> Positive<T>(this Option<T?> option) where T : struct, System.Numerics.INumber<T> =>
        option.Within(v => v is null || v > T.Zero, "a positive number");

    /// <summary>Accepts only zero or more.</summary>
    public static Option<T> NotNegative<T>(this Option<T> option) where T : struct, System.Numerics.INumber<T> =>
        option.Within(v => v >= T.Zero, "zero or more");

    /// <summary>Accepts only values that <paramref name="accepts"/>, naming the range (<paramref name="expected"/>) otherwise.</summary>
    public static Option<T> Within<T>(this Option<T> option, Func<T, bool> accepts, string expected)
    {
        option.Validators.Add(result =>
        {
            if (result.Implicit || result.Tokens.Count == 0) return;
            T value;
            // A value that does not convert (e.g. --batch-size abc) already has its parse error; reading it would throw.
            try { value = result.GetValueOrDefault<T>(); }
            catch (InvalidOperationException) { return; }
            if (!accepts(value)) result.AddError($"{option.Name} {Convert.ToString(value, CultureInfo.InvariantCulture)}: expected {expected}");
        });
        return option;
    }

    /// <summary>An input file, which must exist.</summary>
    public static Option<T> InputFile<T>(this Option<T> option) => option.Checked(path => File.Exists(path) ? null : "no such file");

    /// <summary>An input folder, which must exist.</summary>
    public static Option<T> InputFolder<T>(this Option<T> option) => option.Checked(path => Directory.Exists(path) ? null : "no such folder");

    /// <summary>Adds <paramref name="check"/>, which returns the problem with a value (or null), as a validator of <paramref name="option"/>.</summary>
    public static Option<T> Checked<T>(this Option<T> option, Func<string, string?> check)
    {
        option.Validators.Add(result =>
        {
            if (Text(result) is { } value && check(value) is { } problem) result.AddError($"{option.Name} {value}: {problem}");
        });
        return option;
    }

    /// <summary>The value the user typed, or null when the option was left out.</summary>
    static string? Text(OptionResult result) =>
        result.Implicit || result.Tokens.Count == 0 ? null : result.GetValueOrDefault<string?>();
}
