using System.ComponentModel;
using System.Diagnostics;

namespace KerasPort.Reference.Worker;

/// <summary>Runs a program to its end and collects what it printed (the Python probe, the child <c>kerasport reference</c>).</summary>
internal static class ProcessRun
{
    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="arguments"/>, reading both streams; past <paramref name="limit"/>
    /// it is stopped with its children. <paramref name="description"/> names it in errors, <paramref name="startHint"/>
    /// ends the error when it cannot start.
    /// </summary>
    /// <exception cref="KerasReferenceException">It cannot start, or does not finish in time.</exception>
    public static (int ExitCode, string Stdout, string Stderr) Run(string file, IEnumerable<string> arguments, TimeSpan limit, string description, string startHint)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try { process = Process.Start(start) ?? throw new KerasReferenceException($"could not start {description}"); }
        catch (Exception e) when (e is Win32Exception or FileNotFoundException)
        {
            throw new KerasReferenceException($"cannot run {description}: {e.Message}.{startHint}", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(limit))
            {
                process.Kill(entireProcessTree: true);
                throw new KerasReferenceException($"{description} did not finish within {limit} and was stopped");
            }
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
