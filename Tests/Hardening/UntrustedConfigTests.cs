using System.Text.Json.Nodes;
using KerasPort.Tests.Cli;

namespace KerasPort.Tests.Hardening;

/// <summary>
/// Issue 19, configs: a class is found only in the layer registry, by its Keras class name; no string of a file names
/// a .NET type, an assembly or a path (CVE-2025-1550 was <c>module</c> injection in Keras); layers that would load
/// another file (<c>TFSMLayer</c>, CVE-2026-1462) are refused with the reason.
/// </summary>
public sealed class UntrustedConfigTests : IDisposable
{
    readonly string scratch = Directory.CreateTempSubdirectory("kerasport-untrusted-config-").FullName;

    static readonly string Embedding = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "core", "embedding");

    /// <summary>The golden core/embedding architecture with its layer 'dense' changed by <paramref name="edit"/>, written to a scratch file.</summary>
    string WithDense(Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(Embedding, "model.json")))!.AsObject();
        var dense = root["config"]!["layers"]!.AsArray().Single(l => (string?)l!["config"]!["name"] == "dense")!.AsObject();
        edit(dense);
        var path = Path.Combine(scratch, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    static void MakeTfsmLayer(JsonObject layer)
    {
        layer["class_name"] = "TFSMLayer";
        layer["config"]!["filepath"] = "/etc/secret_model";
    }

    [Fact]
    public void TfsmLayerIsRefusedWithTheReason()
    {
        var path = WithDense(MakeTfsmLayer);
        var error = Assert.Throws<UnsafeModelFileException>(() => KerasModelReader.Load(path));
        Assert.Equal("TFSMLayer", error.Construct);
        Assert.Contains("layer 'dense'", error.Message);
        Assert.Contains("'/etc/secret_model'", error.Message);
        var (exitCode, output) = CliTests.Run("summary", path);
        Assert.True(exitCode == 2, output);
        Assert.Contains("refused TFSMLayer", output);
    }

    [Fact]
    public void ALayerThatLoadsAFileIsRefusedWhenNestedToo()
    {
        // TimeDistributed(TensorFlow Hub's KerasLayer): the wrapped layer is refused as well as a top-level one.
        var path = WithDense(layer =>
        {
            var inner = new JsonObject { ["class_name"] = "KerasLayer", ["config"] = new JsonObject { ["name"] = "hub", ["handle"] = "https://example.com/model" } };
            layer["class_name"] = "TimeDistributed";
            layer["config"] = new JsonObject { ["name"] = "dense", ["layer"] = inner };
        });
        var error = Assert.Throws<UnsafeModelFileException>(() => KerasModelReader.Load(path));
        Assert.Contains("layer 'hub'", error.Message);
        Assert.Contains("https://example.com/model", error.Message);
    }

    [Theory]
    [InlineData("System.IO.File, System.Private.CoreLib")]
    [InlineData("KerasPort.Runtime.Layers.Core.Dense")]
    [InlineData("../../bin/sh")]
    public void AClassNameIsOnlyARegistryKey(string className)
    {
        var path = WithDense(layer =>
        {
            layer["class_name"] = className;
            layer["module"] = "System.IO";
        });
        var error = Assert.Throws<UnsupportedLayerException>(() => KerasModel.Create(KerasModelReader.Load(path), initializeMissingWeights: true));
        Assert.Equal(className, error.ClassName);
    }

    [Fact]
    public void TheModuleOfALayerIsNeverImported()
    {
        // Keras's CVE-2025-1550: a module string chose what Python imported. Here it is only metadata kept for writing.
        var path = WithDense(layer => layer["module"] = "os.system");
        var description = KerasModelReader.Load(path, Path.Combine(Embedding, "model.weights.h5"));
        Assert.Equal("os.system", description.Layers.Single(l => l.Name == "dense").Module);
        using var model = KerasModel.Create(description, options: null);
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);
}
