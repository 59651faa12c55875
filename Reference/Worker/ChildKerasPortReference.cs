using System.Reflection;
using System.Text.Json.Nodes;
using KerasPort.Converters;
using KerasPort.Converters.Model;
using KerasPort.Converters.Numpy;

namespace KerasPort.Reference.Worker;

/// <summary>How to start the <c>kerasport</c> program itself (the apphost, or <c>dotnet kerasport.dll</c>).</summary>
/// <param name="FileName">Executable to start.</param>
/// <param name="Arguments">Arguments before the command's own (the dll path under <c>dotnet</c>).</param>
public sealed record KerasPortCommand(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>The program this process runs, started the way it was started; call it from the <c>kerasport</c> CLI.</summary>
    public static KerasPortCommand ThisProgram()
    {
        var process = Environment.ProcessPath ?? throw new KerasReferenceException("cannot tell which executable runs this process");
        // Under `dotnet kerasport.dll` the process is the dotnet host, which needs the entry assembly again.
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && Assembly.GetEntryAssembly()?.Location is { Length: > 0 } entry
            ? new KerasPortCommand(process, [entry])
            : new KerasPortCommand(process, []);
    }
}

/// <summary>
/// Real Keras embedded (<see cref="InProcessKerasReference"/>) in a child <c>kerasport reference --python-host
/// inprocess</c> process, for a process that runs KerasPort's libtorch beside which Keras's torch backend cannot be
/// embedded. Each call runs the child once on the model and inputs; it writes a golden case to a temporary folder
/// (deleted after the call), whose <c>io.npz</c> and <c>case.json</c> (<c>not_compared</c>) give the answer. No
/// TorchSharp is loaded in the child, so Python is embedded there exactly as in a process of its own.
/// </summary>
public sealed class ChildKerasPortReference : IKerasReference
{
    readonly KerasPortCommand kerasport;
    readonly string? python;
    readonly string runtime;
    readonly Lock gate = new();
    readonly Dictionary<string, (string Model, string? Weights)> models = new(StringComparer.Ordinal);
    int nextModel;

    /// <param name="kerasport">How to start <c>kerasport</c>.</param>
    /// <param name="python">The <c>--python</c> given to this process (null: the child finds Python the same way).</param>
    /// <param name="environment">The probed interpreter, which names libpython until a child reports its Keras.</param>
    public ChildKerasPortReference(KerasPortCommand kerasport, string? python, PythonEnvironment environment)
    {
        this.kerasport = kerasport;
        this.python = python;
        runtime = $"python {environment.Version} in-process ({environment.LibPython}) in a child kerasport process";
        Info = new KerasReferenceInfo("?", environment.KerasBackend, runtime);
    }

    /// <summary>Keras's version and backend as the last child reported them (<c>?</c> for the version before the first call).</summary>
    public KerasReferenceInfo Info { get; private set; }

    /// <summary>How long one child run may take before it is stopped.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Reads the model's name and inputs with KerasPort's reader and remembers the files; Keras loads them in the
    /// child on each call (and an error there names what Keras cannot load).
    /// </summary>
    public ReferenceModel LoadModel(string modelPath, string? weightsPath = null)
    {
        var description = KerasModelReader.Load(modelPath, weightsPath);
        lock (gate)
        {
            var id = $"m{++nextModel}";
            models[id] = (Path.GetFullPath(modelPath), weightsPath is null ? null : Path.GetFullPath(weightsPath));
            return new ReferenceModel(id, description.Name, description.Inputs.Select(i => i.Layer).Distinct().ToList());
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<NdArray> Predict(ReferenceModel model, IReadOnlyDictionary<string, NdArray> inputs)
    {
        var arrays = LayerOutputs(model, inputs).Arrays;
        return Enumerable.Range(0, arrays.Keys.Count(k => k.StartsWith("final/", StringComparison.Ordinal))).Select(k => arrays[$"final/{k}"]).ToList();
    }

    /// <inheritdoc />
    public ReferenceOutputs LayerOutputs(ReferenceModel model, IReadOnlyDictionary<string, NdArray> inputs)
    {
        var scratch = Directory.CreateTempSubdirectory("kerasport-child-reference-").FullName;
        try
        {
            var caseDirectory = Path.Combine(scratch, "case");
            var caseJson = Run(model, inputs, caseDirectory, "custom", scratch);
            var arrays = NpzArchive.Read(Path.Combine(caseDirectory, "io.npz"))
                .Where(p => !p.Key.StartsWith("in/", StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);
            var notCompared = (caseJson["not_compared"] as JsonObject ?? []).ToDictionary(p => p.Key, p => (string?)p.Value ?? "", StringComparer.Ordinal);
            return new ReferenceOutputs(arrays, notCompared);
        }
        finally { Directory.Delete(scratch, recursive: true); }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> WriteGoldenCase(ReferenceModel model, IReadOnlyDictionary<string, NdArray> inputs, string caseDirectory, string family = "custom", string? caseName = null)
    {
        var scratch = Directory.CreateTempSubdirectory("kerasport-child-reference-").FullName;
        try
        {
            var caseJson = Run(model, inputs, Path.GetFullPath(caseDirectory), family, scratch);
            if (caseName is not null && (string?)caseJson["case"] != caseName)
            {
                // `kerasport reference` names the case after its folder.
                caseJson["case"] = caseName;
                File.WriteAllText(Path.Combine(caseDirectory, "case.json"), caseJson.ToJsonString(new() { WriteIndented = true }));
            }
            return (caseJson["files"] as JsonArray ?? []).Select(f => (string)f!).ToList();
        }
        finally { Directory.Delete(scratch, recursive: true); }
    }

    /// <summary>Runs the child on the model and inputs, writing a case to <paramref name="caseDirectory"/>; returns its case.json.</summary>
    JsonObject Run(ReferenceModel model, IReadOnlyDictionary<string, NdArray> inputs, string caseDirectory, string family, string scratch)
    {
        (string Model, string? Weights) files;
        lock (gate) files = models.GetValueOrDefault(model.Id);
        if (files.Model is null) throw new KerasReferenceException($"model '{model.Id}' was not loaded by this reference");
        var inputFile = Path.Combine(scratch, "inputs.npz");
        NpzArchive.Write(inputFile, inputs);
        string[] arguments = ["reference", files.Model, "--input", inputFile, "--out", caseDirectory, "--family", family, "--python-host", "inprocess",
            .. files.Weights is null ? [] : (string[])["--weights", files.Weights], .. python is null ? [] : (string[])["--python", python]];
        var (exitCode, stdout, stderr) = ProcessRun.Run(kerasport.FileName, [.. kerasport.Arguments, .. arguments], Timeout,
            "the child `kerasport reference`", "");
        if (exitCode != 0)
        {
            // The CLI's own error is one `error:` line on stderr; otherwise (a crash) the last lines it printed.
            var lines = (stdout + stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var said = lines.LastOrDefault(l => l.StartsWith("error: ", StringComparison.Ordinal)) ?? string.Join(" | ", lines.TakeLast(4));
            throw new KerasReferenceException($"the child `kerasport reference --python-host inprocess` on {files.Model} failed (exit code {exitCode}): {said}");
        }
        var caseJson = JsonNode.Parse(File.ReadAllText(Path.Combine(caseDirectory, "case.json"))) as JsonObject
            ?? throw new KerasReferenceException($"the child `kerasport reference` wrote a case.json in {caseDirectory} that is not a JSON object");
        lock (gate) Info = new KerasReferenceInfo((string?)caseJson["keras_version"] ?? "?", (string?)caseJson["backend"] ?? Info.Backend, runtime);
        return caseJson;
    }

    /// <summary>Nothing to release: each call's child process and temporary folder are gone when it returns.</summary>
    public void Dispose() { }
}
