using System.Diagnostics;

namespace KerasPort.Tests;

/// <summary>
/// Real Keras 3.15.1 (torch backend) from <c>../shared/keras3</c>, for tests that check KerasPort against Keras itself.
/// Such tests carry <c>[Trait("Category", "RealKeras")]</c>; where the folder is absent, or its Python cannot import
/// Keras (run <c>../shared/keras3/install-deps</c>), they skip through <see cref="SharedData"/> (and fail in CI).
/// </summary>
public static class RealKeras
{
    /// <summary>The trait value of the tests that need real Keras.</summary>
    public const string Category = "RealKeras";

    static readonly Lazy<string?> problem = new(Probe);

    /// <summary>The <c>run</c> script: a python3 that imports this Keras (usable as <c>--python</c>).</summary>
    public static string Python
    {
        get
        {
            var run = Path.Combine(SharedData.Keras3, "run");
            return problem.Value is { } reason ? SharedData.Missing(reason) : run;
        }
    }

    /// <summary>Runs <c>python script args</c> with real Keras; returns the exit code and the combined output.</summary>
    public static (int ExitCode, string Output) Run(string script, params string[] args) => Execute(Python, [script, .. args]);

    static string? Probe()
    {
        var run = Path.Combine(TestPaths.Keras3, "run");
        if (!File.Exists(run)) return $"{run} is absent (put the shared data beside the repository as ../shared, or set KERASPORT_KERAS3)";
        var (exitCode, output) = Execute(run, ["-c", "import keras, numpy, h5py; print(keras.__version__)"]);
        return exitCode == 0 ? null : $"{run} cannot import keras, numpy and h5py (run {Path.Combine(TestPaths.Keras3, "install-deps")} as root): {output.Trim().Split('\n')[^1]}";
    }

    static (int ExitCode, string Output) Execute(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}
