using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KerasPort.Converters.Model;
using KerasPort.Converters.Numpy;

namespace KerasPort.Reference.Worker;

/// <summary>
/// Real Keras through a worker process (normally <c>python kerasport_worker.py</c>): JSON lines on its stdin and
/// stdout, arrays as <c>.npz</c> files in a private temporary folder. The protocol is in Reference/README.md.
/// One request at a time; calls are serialized, so an instance may be shared between threads.
/// </summary>
public sealed class PythonWorkerReference : IKerasReference
{
    readonly Process process;
    readonly WorkerCommand command;
    readonly string scratch;
    readonly StringBuilder stderrTail = new();
    readonly Lock gate = new();
    int nextId;
    int nextFile;
    bool disposed;

    PythonWorkerReference(Process process, WorkerCommand command, TimeSpan timeout)
    {
        this.process = process;
        this.command = command;
        Timeout = timeout;
        scratch = Directory.CreateTempSubdirectory("kerasport-reference-").FullName;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderrTail)
            {
                stderrTail.AppendLine(e.Data);
                if (stderrTail.Length > 8000) stderrTail.Remove(0, stderrTail.Length - 8000);
            }
        };
        process.BeginErrorReadLine();
    }

    /// <inheritdoc />
    public KerasReferenceInfo Info { get; private set; } = new("?", "?", "?");

    /// <summary>How long one request may take before the worker is considered hung and stopped.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Starts the shipped Python worker with Python from <paramref name="python"/>, <c>KERASPORT_PYTHON</c> or <c>python3</c>.</summary>
    public static PythonWorkerReference Start(string? python = null) => Start(WorkerCommand.ForPython(python));

    /// <summary>Starts <paramref name="command"/> and checks, with a <c>hello</c> request, that Keras answers.</summary>
    /// <exception cref="KerasReferenceException">The process cannot start, or its Python lacks Keras (the message says what to install).</exception>
    public static PythonWorkerReference Start(WorkerCommand command, TimeSpan? timeout = null)
    {
        Process process;
        try { process = Process.Start(command.StartInfo()) ?? throw new KerasReferenceException($"could not start {command.Description}"); }
        catch (Exception e) when (e is Win32Exception or FileNotFoundException)
        {
            throw new KerasReferenceException(
                $"cannot run {command.Description}: {e.Message}. Give Python with --python PATH or {WorkerCommand.PythonVariable}, " +
                $"with Keras installed ({KerasReferenceException.InstallHint})", e);
        }
        var reference = new PythonWorkerReference(process, command, timeout ?? TimeSpan.FromMinutes(10));
        try
        {
            var hello = reference.Request(new JsonObject { ["op"] = "hello" }, requireOk: false);
            if (hello["ok"]?.GetValue<bool>() != true)
            {
                var missing = hello["missing"] is JsonArray m ? string.Join(", ", m.Select(x => (string?)x)) : null;
                throw new KerasReferenceException(missing is null
                    ? $"{command.Description}: the Keras worker refused to start: {(string?)hello["error"]}"
                    : $"{command.Description} cannot import {missing}: {KerasReferenceException.InstallHint}");
            }
            reference.Info = new KerasReferenceInfo((string?)hello["keras_version"] ?? "?", (string?)hello["backend"] ?? "?",
                $"python {(string?)hello["python_version"] ?? "?"} at {(string?)hello["python"] ?? command.FileName}");
            return reference;
        }
        catch
        {
            reference.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public ReferenceModel LoadModel(string modelPath, string? weightsPath = null)
    {
        var reply = Request(new JsonObject { ["op"] = "load", ["path"] = Path.GetFullPath(modelPath), ["weights"] = weightsPath is null ? null : Path.GetFullPath(weightsPath) });
        return new ReferenceModel((string)reply["model"]!, (string?)reply["name"] ?? "",
            (reply["inputs"] as JsonArray ?? []).Select(i => (string)i!["name"]!).ToList());
    }

    /// <inheritdoc />
    public IReadOnlyList<NdArray> Predict(ReferenceModel model, IReadOnlyDictionary<string, NdArray> inputs)
    {
        var arrays = RunWithArrays("predict", model, inputs);
        return Enumerable.Range(0, arrays.Count).Select(k => arrays.TryGetValue($"final/{k}", out var a) ? a
            : throw new KerasReferenceException($"{command.Description}: predict wrote no 'final/{k}'")).ToList();
    }

    /// <inheritdoc />
    public ReferenceOutputs LayerOutputs(ReferenceModel model, IReadOnlyDictionary<string, NdArray> inputs)
    {
        JsonObject? reply = null;
        var arrays = RunWithArrays("layer_outputs", model, inputs, r => reply = r);
        var notCompared = (reply?["not_compared"] as JsonObject ?? []).ToDictionary(p => p.Key, p => (string?)p.Value ?? "", StringComparer.Ordinal);
        return new ReferenceOutputs(arrays, notCompared);
    }

    /// <inheritdoc />
    public IReadOnlyList<string> WriteGoldenCase(ReferenceModel model, IReadOnlyDictionary<string, NdArray> inputs, string caseDirectory, string family = "custom", string? caseName = null)
    {
        var inputFile = WriteInputs(inputs);
        var reply = Request(new JsonObject
        {
            ["op"] = "write_case", ["model"] = model.Id, ["inputs"] = inputFile, ["dir"] = Path.GetFullPath(caseDirectory),
            ["family"] = family, ["case"] = caseName ?? Path.GetFileName(Path.GetFullPath(caseDirectory)),
        });
        File.Delete(inputFile);
        return (reply["files"] as JsonArray ?? []).Select(f => (string)f!).ToList();
    }

    IReadOnlyDictionary<string, NdArray> RunWithArrays(string op, ReferenceModel model, IReadOnlyDictionary<string, NdArray> inputs, Action<JsonObject>? onReply = null)
    {
        var inputFile = WriteInputs(inputs);
        var outputFile = Path.Combine(scratch, $"out{Interlocked.Increment(ref nextFile)}.npz");
        try
        {
            var reply = Request(new JsonObject { ["op"] = op, ["model"] = model.Id, ["inputs"] = inputFile, ["output"] = outputFile });
            onReply?.Invoke(reply);
            if (!File.Exists(outputFile)) throw new KerasReferenceException($"{command.Description}: '{op}' wrote no {outputFile}");
            return NpzArchive.Read(outputFile).ToDictionary(StringComparer.Ordinal);
        }
        finally
        {
            File.Delete(inputFile);
            File.Delete(outputFile);
        }
    }

    string WriteInputs(IReadOnlyDictionary<string, NdArray> inputs)
    {
        var path = Path.Combine(scratch, $"in{Interlocked.Increment(ref nextFile)}.npz");
        NpzArchive.Write(path, inputs);
        return path;
    }

    JsonObject Request(JsonObject request, bool requireOk = true)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            int id = ++nextId;
            request["id"] = id;
            var op = (string?)request["op"];
            try
            {
                process.StandardInput.WriteLine(request.ToJsonString());
                process.StandardInput.Flush();
            }
            catch (IOException e) { throw Died(op, e); }
            var read = process.StandardOutput.ReadLineAsync();
            if (!read.Wait(Timeout))
            {
                Kill();
                throw new KerasReferenceException($"{command.Description}: no answer to '{op}' within {Timeout}; the worker was stopped.{StderrTail()}");
            }
            var line = read.Result ?? throw Died(op, null);
            JsonObject reply;
            try { reply = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("not an object"); }
            catch (JsonException e)
            {
                throw new KerasReferenceException($"{command.Description}: answered '{op}' with a line that is not protocol JSON: {Truncate(line)}", e);
            }
            if ((int?)reply["id"] != id)
                throw new KerasReferenceException($"{command.Description}: answered request {id} ('{op}') with id {reply["id"]?.ToJsonString() ?? "null"}");
            if (requireOk && reply["ok"]?.GetValue<bool>() != true)
                throw new KerasReferenceException($"Keras failed '{op}': {(string?)reply["error"] ?? "no reason given"}");
            return reply;
        }
    }

    KerasReferenceException Died(string? op, Exception? inner)
    {
        process.WaitForExit(TimeSpan.FromSeconds(5));
        var code = process.HasExited ? $" (exit code {process.ExitCode})" : "";
        return new KerasReferenceException($"{command.Description}: the worker ended before answering '{op}'{code}.{StderrTail()}", inner);
    }

    string StderrTail()
    {
        lock (stderrTail)
        {
            var text = stderrTail.ToString().Trim();
            return text.Length == 0 ? "" : " Its stderr ends with: " + Truncate(text.Split('\n').TakeLast(6).Aggregate((a, b) => a + " | " + b.TrimEnd()));
        }
    }

    static string Truncate(string text) => text.Length <= 600 ? text : text[..600] + "...";

    void Kill()
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { /* already gone */ }
    }

    /// <summary>Asks the worker to quit (stopping it if it does not), and deletes the temporary folder.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
        }
        try
        {
            if (!process.HasExited)
            {
                process.StandardInput.WriteLine("{\"op\":\"quit\"}");
                process.StandardInput.Close();
            }
        }
        catch (IOException) { /* the worker is already gone */ }
        if (!process.WaitForExit(TimeSpan.FromSeconds(10))) Kill();
        process.Dispose();
        try { Directory.Delete(scratch, recursive: true); }
        catch (IOException) { /* a file still open on Windows: leave it to the temp cleaner */ }
    }
}
