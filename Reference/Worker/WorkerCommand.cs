using System.Diagnostics;

namespace KerasPort.Reference.Worker;

/// <summary>The command that starts a worker process speaking the protocol of Reference/README.md.</summary>
/// <param name="FileName">Executable to start.</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="Description">How the executable was chosen, for error messages.</param>
public sealed record WorkerCommand(string FileName, IReadOnlyList<string> Arguments, string Description)
{
    /// <summary>Environment variable naming the Python executable when no explicit one is given.</summary>
    public const string PythonVariable = "KERASPORT_PYTHON";

    /// <summary>
    /// The shipped Python worker (<c>python/kerasport_worker.py</c> beside this assembly) run by Python found, in this
    /// order, from <paramref name="python"/> (<c>--python</c>), then <c>KERASPORT_PYTHON</c>, then <c>python3</c> on PATH.
    /// </summary>
    public static WorkerCommand ForPython(string? python = null)
    {
        var (executable, source) = python is { Length: > 0 } ? (python, "--python")
            : Environment.GetEnvironmentVariable(PythonVariable) is { Length: > 0 } fromEnvironment ? (fromEnvironment, PythonVariable)
            : ("python3", "default python3 on PATH");
        return new WorkerCommand(executable, ["-u", WorkerScript], $"{executable} ({source})");
    }

    /// <summary>Path of the shipped worker script.</summary>
    public static string WorkerScript =>
        Path.Combine(Path.GetDirectoryName(typeof(WorkerCommand).Assembly.Location) ?? AppContext.BaseDirectory, "python", "kerasport_worker.py");

    /// <summary>A process start description with redirected standard streams.</summary>
    internal ProcessStartInfo StartInfo()
    {
        var start = new ProcessStartInfo(FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        foreach (var argument in Arguments) start.ArgumentList.Add(argument);
        return start;
    }
}
