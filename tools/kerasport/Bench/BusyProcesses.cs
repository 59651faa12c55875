using System.CommandLine;
using System.Diagnostics;
using System.Reflection;

namespace KerasPort.Cli.Bench;

/// <summary>
/// Other work on the machine for the length of a bench run (<c>bench --contention K</c>): K child processes, each one
/// thread that spins, as a busy neighbour (<c>yes &gt; /dev/null</c>, a CI job, another service) would. They are this
/// same program run as the hidden <c>bench-spin</c> command, so no shell or tool is needed; they are killed on
/// <see cref="Dispose"/>, and each exits by itself once its parent is gone.
/// </summary>
internal sealed class BusyProcesses : IDisposable
{
    /// <summary>The hidden command a busy process runs.</summary>
    public const string SpinCommand = "bench-spin";

    readonly List<Process> processes;

    BusyProcesses(List<Process> processes) => this.processes = processes;

    /// <summary>Starts <paramref name="count"/> busy processes (none for 0).</summary>
    public static BusyProcesses Start(int count)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell this program's path to start busy processes");
        // Run as `dotnet kerasport.dll`, the process is the dotnet host: it needs the assembly again.
        string[] prefix = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [Assembly.GetEntryAssembly()!.Location] : [];
        var started = new List<Process>();
        for (int i = 0; i < count; i++)
        {
            var info = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardOutput = true };
            foreach (var argument in prefix.Append(SpinCommand).Append(Environment.ProcessId.ToString())) info.ArgumentList.Add(argument);
            started.Add(Process.Start(info) ?? throw new InvalidOperationException("could not start a busy process"));
        }
        return new BusyProcesses(started);
    }

    /// <summary>The busy processes' ids.</summary>
    public IEnumerable<int> Ids => processes.Select(p => p.Id);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var process in processes)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } // already gone
            process.Dispose();
        }
        processes.Clear();
    }

    /// <summary>The hidden <c>bench-spin PARENT_PID</c> command: spins one thread until the parent process is gone.</summary>
    public static Command CreateSpinCommand()
    {
        var parent = new Argument<int>("parent") { Description = "Process id whose exit ends the spinning" };
        var command = new Command(SpinCommand, "Spin one thread (a busy process for bench --contention)") { Hidden = true };
        command.Arguments.Add(parent);
        command.SetAction(result =>
        {
            var watched = Process.GetProcessById(result.GetValue(parent));
            var clock = Stopwatch.StartNew();
            while (true)
            {
                if (clock.ElapsedMilliseconds < 500) continue;
                if (watched.HasExited) return 0;
                clock.Restart();
            }
        });
        return command;
    }
}
