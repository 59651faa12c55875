namespace KerasPort.Reference.Worker;

/// <summary>Where the reference Python runs.</summary>
public enum PythonHost
{
    /// <summary>Embedded in this process with pythonnet (<see cref="InProcessKerasReference"/>).</summary>
    InProcess,
    /// <summary>A separate worker process (<see cref="PythonWorkerReference"/>), for interpreters that cannot be embedded.</summary>
    Worker,
}

/// <summary>A started reference and one line saying which host runs it and why.</summary>
/// <param name="Reference">The started reference; dispose it.</param>
/// <param name="HostLine">E.g. <c>python host: in-process (libpython /usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0)</c>.</param>
public sealed record StartedReference(IKerasReference Reference, string HostLine);

/// <summary>Starts the reference Keras on the host asked for, or on the best one available.</summary>
public static class KerasReferenceHost
{
    /// <summary>
    /// Starts Keras from the Python that <paramref name="python"/> names (see <see cref="WorkerCommand.ForPython"/>).
    /// <paramref name="host"/> null means in-process where the interpreter has a shared libpython that embeds and
    /// imports Keras, else the worker process (the line says why). <paramref name="beside"/> says that this process
    /// runs (or will run) KerasPort's libtorch, which Keras's torch backend cannot share a process with: then the
    /// default is the worker, and <see cref="PythonHost.InProcess"/> embeds Python in a child <c>kerasport reference</c>
    /// process started with <paramref name="kerasport"/> (<see cref="ChildKerasPortReference"/>), or is refused without it.
    /// </summary>
    /// <exception cref="KerasReferenceException">The host asked for cannot start, or neither host can.</exception>
    public static StartedReference Start(string? python, PythonHost? host = null, bool beside = false, KerasPortCommand? kerasport = null)
    {
        var command = WorkerCommand.ForPython(python);
        if (host == PythonHost.Worker) return Worker(command, "as --python-host worker asked");
        PythonEnvironment environment;
        try { environment = PythonEnvironment.Probe(command.FileName, command.Description); }
        catch (KerasReferenceException e) when (host is null)
        {
            return Worker(command, $"in-process is not possible: {e.Message}");
        }
        if (environment.KerasBackend == "torch" && (beside || InProcessKerasReference.LibTorchLoaded()))
        {
            const string clash = "Keras's torch backend cannot share a process with KerasPort's libtorch (their libtorch builds clash)";
            if (host is null) return Worker(command, clash);
            if (kerasport is null)
                throw new KerasReferenceException($"--python-host inprocess: {clash}; use --python-host worker, or `kerasport reference --python-host inprocess` and then `diff --case`");
            return new StartedReference(new ChildKerasPortReference(kerasport, python, environment),
                $"python host: in-process (pythonnet, {InProcessKerasReference.LibPythonOf(environment)}), in a child kerasport process: {clash}");
        }
        try
        {
            var reference = InProcessKerasReference.Start(environment);
            return new StartedReference(reference, $"python host: in-process (pythonnet, {environment.LibPython})");
        }
        catch (KerasReferenceException e) when (host is null)
        {
            return Worker(command, $"in-process is not possible: {e.Message}");
        }
    }

    static StartedReference Worker(WorkerCommand command, string why) =>
        new(PythonWorkerReference.Start(command), $"python host: worker process {command.Description} ({why})");
}
