using KerasPort.Reference.Golden;
using KerasPort.Reference.Parity;
using KerasPort.Tests.Cli;
using PureHDF;

namespace KerasPort.Tests.Hardening;

/// <summary>
/// Issue 19: model files that would make an HDF5 reader leave the file (external raw storage, virtual datasets,
/// external links), loop (soft or hard links), or decode with a filter KerasPort does not know. The files in
/// <c>hostile/</c> were made by h5py with <c>hostile/make_hostile.py</c> from the golden case core/embedding; each
/// replaces the bias of layer 'dense', in model.h5 and in the model.weights.h5 of model.keras.
/// </summary>
public sealed class UntrustedFileTests
{
    internal static readonly string Hostile = Path.Combine(TestPaths.RepoRoot, "Tests", "Hardening", "hostile");
    static readonly string Embedding = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "core", "embedding");

    /// <summary>Where the hostile files point (make_hostile.py's SECRET_DIR), and what they would read there.</summary>
    const string SecretDir = "/tmp/kerasport-hostile-19";
    static readonly float[] Secret = [1234.5f, -777.25f, 4242.0f];

    /// <summary>Each hostile file and the words that the refusal must use for its construct.</summary>
    public static readonly TheoryData<string, string> Constructs = new()
    {
        { "external_storage", "external raw storage" },
        { "virtual_dataset", "virtual dataset" },
        { "external_link", "external link" },
        { "soft_link_out", "soft link that leaves its group" },
        { "soft_link_loop", "soft link loop" },
        { "unknown_filter", "filter 32004" },
        { "hard_link_cycle", "hard link to a group already linked" },
    };

    public static TheoryData<string, string, string> ConstructsByFormat()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var row in Constructs)
            foreach (var extension in new[] { "h5", "keras" })
                data.Add((string)row[0], (string)row[1], extension);
        return data;
    }

    public static TheoryData<string, string, string, string> ConstructsByCommand()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var row in ConstructsByFormat())
            foreach (var command in new[] { "summary", "predict", "convert" })
                data.Add((string)row[0], (string)row[1], (string)row[2], command);
        return data;
    }

    /// <summary>
    /// Writes what the hostile files point at: the secret as raw bytes (external storage) and as an HDF5 dataset
    /// (virtual dataset, external link). Atomic renames keep test runs that share the folder from seeing half a file.
    /// </summary>
    internal static void PlantSecrets()
    {
        Directory.CreateDirectory(SecretDir);
        void Plant(string name, Action<string> write)
        {
            var temporary = Path.Combine(SecretDir, $"{Guid.NewGuid():N}.tmp");
            write(temporary);
            File.Move(temporary, Path.Combine(SecretDir, name), overwrite: true);
        }
        Plant("secret.bin", path => File.WriteAllBytes(path, Secret.SelectMany(BitConverter.GetBytes).ToArray()));
        Plant("secret.h5", path => new H5File { ["data"] = Secret }.Write(path));
    }

    /// <summary>Every hostile file (and the file name it is read under), for the mutation suite.</summary>
    public static TheoryData<string> HostileFiles() =>
        new(Directory.GetFiles(Hostile).Select(Path.GetFileName).Where(f => f!.EndsWith(".h5", StringComparison.Ordinal) || f.EndsWith(".keras", StringComparison.Ordinal))!);

    /// <summary>Fails if any weight of <paramref name="model"/> holds a value of the planted secret.</summary>
    internal static void AssertNoSecret(ModelDescription model)
    {
        foreach (var layer in model.Layers)
        {
            if (layer.Nested is { } nested) AssertNoSecret(nested);
            foreach (var weight in layer.Weights)
                if (weight.Value.DType is DType.Float32 && weight.Value.ToFloats().Any(Secret.Contains))
                    throw new Xunit.Sdk.XunitException($"layer '{layer.Name}', weight '{weight.Name}' holds the secret planted outside the model file");
        }
    }

    [Theory]
    [MemberData(nameof(ConstructsByFormat))]
    public void KerasModelLoadRefusesTheConstructAndNamesIt(string construct, string words, string extension)
    {
        PlantSecrets();
        var path = Path.Combine(Hostile, $"{construct}.{extension}");
        var error = Assert.Throws<UnsafeModelFileException>(() => KerasModel.Load(path));
        Assert.Contains($"refused {words}", error.Message);
        Assert.StartsWith(path, error.FilePath, StringComparison.Ordinal);
        Assert.Contains(extension == "h5" ? "/model_weights/dense/dense/" : "/layers/dense/vars/", error.Part);
    }

    [Theory]
    [MemberData(nameof(ConstructsByCommand))]
    public void TheCliExitsTwoNamingTheConstruct(string construct, string words, string extension, string command)
    {
        PlantSecrets();
        var path = Path.Combine(Hostile, $"{construct}.{extension}");
        var output = Path.Combine(Path.GetTempPath(), $"kerasport-untrusted-{Guid.NewGuid():N}");
        try
        {
            var (exitCode, text) = command switch
            {
                "predict" => CliTests.Run("predict", path, "--input", Path.Combine(Embedding, "io.npz"), "--output", output + ".npz"),
                "convert" => CliTests.Run("convert", path, "--to", "onnx", "--output", output + ".onnx"),
                _ => CliTests.Run(command, path),
            };
            Assert.True(exitCode == 2, text);
            Assert.Contains($"refused {words}", text);
            Assert.DoesNotContain("   at ", text);
            Assert.False(File.Exists(output + ".npz") || File.Exists(output + ".onnx"), "a refused model still wrote an output");
        }
        finally
        {
            File.Delete(output + ".npz");
            File.Delete(output + ".onnx");
        }
    }

    /// <summary>
    /// A group's object header whose continuation points back at itself (hostile/header_continuation_loop.*, made by
    /// make_hostile.py): PureHDF follows continuations by recursion and overflowed the stack, which ends the process.
    /// The load must fail with a typed error that names the group, and the CLI must exit 2.
    /// </summary>
    [Theory]
    [InlineData("h5", "/model_weights/dense")]
    [InlineData("keras", "/layers/dense/vars")]
    public void AnObjectHeaderContinuedInItselfIsRefusedNotOverflowingTheStack(string extension, string group)
    {
        var path = Path.Combine(Hostile, $"header_continuation_loop.{extension}");
        var error = Assert.Throws<ModelFileException>(() => KerasModel.Load(path));
        Assert.Contains("refers back to itself", error.Message);
        Assert.Equal(group, error.Part);
        var (exitCode, _, stderr) = CliTests.RunSeparately("summary", path);
        Assert.True(exitCode == 2, stderr);
        Assert.Contains("refers back to itself", Assert.Single(stderr.Trim().Split('\n')));
    }

    /// <summary>
    /// The control for the refusals: read with PureHDF alone, three of the files do hand over the secret, so it is
    /// KerasPort's check that keeps it out of the tensors.
    /// </summary>
    [SkippableTheory]
    [InlineData("external_storage")]
    [InlineData("virtual_dataset")]
    [InlineData("external_link")]
    public void WithoutTheCheckPureHdfWouldReadTheSecret(string construct)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the hostile files point at /tmp/kerasport-hostile-19, a Unix path");
        PlantSecrets();
        using var file = H5File.OpenRead(Path.Combine(Hostile, $"{construct}.h5"));
        Assert.Equal(Secret, file.Dataset("model_weights/dense/dense/bias").Read<float[]>());
    }

    /// <summary>A soft link that stays in its group and ends at a dataset is no risk: the model loads and computes what Keras computed.</summary>
    [Fact]
    public void ASoftLinkInsideItsGroupStillLoads()
    {
        var golden = GoldenCase.Load(Embedding);
        var io = NpzArchive.Read(golden.PathOf("io.npz"));
        using var model = KerasModel.Load(Path.Combine(Hostile, "soft_link_inside.h5"));
        var outputs = model.Predict(io.Where(kv => kv.Key.StartsWith("in/", StringComparison.Ordinal)).Select(kv => kv.Value).ToArray());
        Assert.True(ParityRunner.Compare("final/0", outputs[0], io["final/0"], golden.Tolerance).Passed);
    }
}
