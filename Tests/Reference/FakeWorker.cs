using KerasPort.Reference.Worker;

namespace KerasPort.Tests.Reference;

/// <summary>
/// How tests start FakeKerasWorker (Tests/FakeKerasWorker), a test double of the Python Keras worker that answers the
/// same protocol from a canned golden case. It is not Keras: it proves only the C# side of the protocol.
/// </summary>
public static class FakeWorker
{
    /// <summary>The fake's assembly, built beside the tests.</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "FakeKerasWorker.dll");

    /// <summary>The command that runs the fake on <paramref name="cannedCase"/>.</summary>
    public static WorkerCommand Command(string cannedCase) => new("dotnet", [Dll, cannedCase], "FakeKerasWorker (test double)");

    /// <summary>
    /// A script that can stand in for Python (<c>--python</c>): it ignores the worker script it is given and runs the
    /// fake on <paramref name="cannedCase"/>. POSIX shells only.
    /// </summary>
    public static string PythonStandIn(string directory, string cannedCase)
    {
        var path = Path.Combine(directory, "fake-python.sh");
        File.WriteAllText(path, $"#!/bin/sh\nexec dotnet \"{Dll}\" \"$@\" \"{cannedCase}\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
