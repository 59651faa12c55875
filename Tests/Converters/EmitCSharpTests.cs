using System.Reflection;
using KerasPort.Converters.CSharp;
using KerasPort.Reference.Golden;
using KerasPort.Reference.Worker;
using KerasPort.Runtime.Export;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static TorchSharp.torch;

namespace KerasPort.Tests.Converters;

/// <summary>
/// <c>kerasport convert --emit-csharp</c>: the generated source compiles against TorchSharp, loads the weights written in
/// TorchSharp's format, and reproduces the golden Keras outputs within the case tolerance.
/// </summary>
public sealed class EmitCSharpTests
{
    /// <summary>The headline cases: a CNN (MobileNetV2: Conv2D, DepthwiseConv2D, BatchNormalization, ReLU6, ZeroPadding2D, Add, global pooling) and LSTMs.</summary>
    [SkippableTheory]
    [InlineData("applications/mobilenet_v2")]
    [InlineData("recurrent/stacked_lstm")]
    [InlineData("recurrent/lstm")]
    public void TheGeneratedModuleReproducesTheGoldenOutputs(string caseDir)
    {
        var golden = GoldenCase.Load(SharedData.GoldenPath(caseDir));
        var description = KerasModelReader.Load(golden.PathOf("model.keras"));
        var arrays = NpzArchive.Read(golden.PathOf("io.npz"));
        var outputs = RunGenerated(description, Path.GetFileName(caseDir), description.Inputs.Select(i => arrays[$"in/{i.Layer}"]).ToArray());
        Assert.Equal(golden.OutputKeys.Count, outputs.Length);
        for (int k = 0; k < outputs.Length; k++) AssertClose(arrays[golden.OutputKeys[k]], outputs[k], golden.Tolerance, golden.OutputKeys[k]);
    }

    /// <summary>Keras 1 and 2 files (Theano kernels, hard_sigmoid LSTM gates, BatchNormalization, UpSampling) give what KerasPort computes.</summary>
    [SkippableTheory]
    [InlineData("lstmrapper_weights.hdf5")]
    [InlineData("keras2c_plasma_conv1d_profiles.h5")]
    [InlineData("conv_autoencoder_bn_k240.h5")]
    [InlineData("dl4j_k1_conv2d_theano.h5")]
    [InlineData("cnn1d_4head_lstm_k2131.h5")]
    [InlineData("mnist_cnn_k3132.keras")]
    public void CorpusModelsMatchKerasPort(string file)
    {
        var path = SharedData.CorpusPath(file);
        var description = KerasModelReader.Load(path);
        var inputs = ReferenceInputs.Generate(description, batch: 2, freeSize: 8, seed: 5);
        using var runtime = KerasModel.Create(description);
        var expected = runtime.Predict(inputs);
        var actual = RunGenerated(description, "Corpus", description.Inputs.Select(i => inputs[i.Layer]).ToArray());
        Assert.Equal(expected.Count, actual.Length);
        for (int k = 0; k < actual.Length; k++) AssertClose(expected[k], actual[k], Tolerance.Default, $"output {k}");
    }

    /// <summary>Emits, compiles and loads <paramref name="description"/> as C#, and runs it on <paramref name="inputs"/> (model.inputs order).</summary>
    static NdArray[] RunGenerated(ModelDescription description, string className, NdArray[] inputs)
    {
        var emitted = CSharpEmitter.Emit(description, className);
        var type = Compile(emitted).GetType($"{emitted.Namespace}.{emitted.ClassName}")!;
        var weights = Path.GetTempFileName();
        try
        {
            using (var stream = File.Create(weights)) TorchSharpStateFile.Save(emitted.State, stream);
            using var scope = NewDisposeScope();
            using var module = (nn.Module)type.GetMethod("Load")!.Invoke(null, [weights])!;
            var tensors = inputs.Select(i => TensorConversions.ToTensor(i, CPU)).ToArray();
            using var noGrad = no_grad();
            Tensor[] outputs = module switch
            {
                nn.Module<Tensor, Tensor> m => [m.forward(tensors.Single())],
                nn.Module<Tensor, Tensor[]> m => m.forward(tensors.Single()),
                nn.Module<Tensor[], Tensor> m => [m.forward(tensors)],
                nn.Module<Tensor[], Tensor[]> m => m.forward(tensors),
                _ => throw new InvalidOperationException($"unexpected module type {module.GetType()}"),
            };
            return outputs.Select(o => TensorConversions.ToNdArray(o.contiguous())).ToArray();
        }
        finally { File.Delete(weights); }
    }

    static void AssertClose(NdArray expected, NdArray actual, Tolerance tolerance, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var (x, y) = (expected.ToDoubles(), actual.ToDoubles());
        for (int i = 0; i < x.Length; i++)
            Assert.True(Math.Abs(x[i] - y[i]) <= tolerance.Atol + tolerance.Rtol * Math.Abs(x[i]), $"{what}[{i}]: expected {x[i]}, generated module {y[i]}");
    }

    /// <summary>A bundled case with a layer the emitter does not translate (MultiHeadAttention).</summary>
    static readonly string MhaSelfFixture = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "attention", "mha_self", "model.keras");

    /// <summary>Golden cases the emitter refuses (<c>Tests/emit-csharp-ledger.txt</c>): case → refused class.</summary>
    static readonly Lazy<Dictionary<string, string>> Refused = new(() =>
        File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "Tests", "emit-csharp-ledger.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 4))
            .ToDictionary(p => p[1], p => p.Length == 4 ? p[2] : throw new FormatException($"emit-csharp ledger: '{string.Join(' ', p)}' has no reason")));

    /// <summary>Every golden case with weights.</summary>
    public static TheoryData<string> GoldenCases() => SharedData.Rows(TestPaths.Golden, golden =>
        GoldenCase.FindCaseDirectories(golden).Where(d => File.Exists(Path.Combine(d, "model.keras")))
            .Select(dir => Path.GetRelativePath(golden, dir).Replace('\\', '/')));

    /// <summary>Each golden case either reproduces Keras through the generated module or is refused, naming the class the ledger names.</summary>
    [SkippableTheory]
    [MemberData(nameof(GoldenCases))]
    public void EveryGoldenCaseReproducesOrIsRefusedAsTheLedgerSays(string caseDir) =>
        GoldenGaps.Run("emit-csharp", caseDir, () => ReproducesOrIsRefusedAsTheLedgerSays(caseDir));

    void ReproducesOrIsRefusedAsTheLedgerSays(string caseDir)
    {
        if (Refused.Value.TryGetValue(caseDir, out var className))
        {
            var description = KerasModelReader.Load(SharedData.GoldenPath(caseDir, "model.keras"));
            var error = Assert.Throws<UnsupportedLayerException>(() => CSharpEmitter.Emit(description, "Refused"));
            Assert.Equal(className, error.ClassName);
        }
        else TheGeneratedModuleReproducesTheGoldenOutputs(caseDir);
    }

    [Fact]
    public void ALayerWithoutTranslationIsNamedInTheError()
    {
        var path = MhaSelfFixture;
        var error = Assert.Throws<UnsupportedLayerException>(() => CSharpEmitter.Emit(KerasModelReader.Load(path), "Mha"));
        Assert.Equal("MultiHeadAttention", error.ClassName);
        Assert.Contains("mha_self", error.Message);
    }

    [Fact]
    public void TheCliWritesTheSourceAndWeightsBesideTheOutputAllOrNothing()
    {
        using var scratch = new ConvertTests.Scratch();
        var fixture = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "core", "embedding", "model.keras");
        var output = Path.Combine(scratch.Dir, "embedding_model.kerasport");
        var (exitCode, text) = Cli.CliTests.Run("convert", fixture, "-o", output, "--emit-csharp");
        Assert.Equal(0, exitCode);
        Assert.Contains("max abs difference 0", text);
        Assert.Contains("KerasPort.Generated.EmbeddingModel", text);
        Assert.Contains("public sealed class EmbeddingModel : Module<Tensor, Tensor>", File.ReadAllText(Path.Combine(scratch.Dir, "embedding_model.cs")));
        Assert.True(new FileInfo(Path.Combine(scratch.Dir, "embedding_model.dat")).Length > 0);
        // An existing C# file stops the conversion before any file is written.
        File.Delete(output);
        File.Delete(Path.Combine(scratch.Dir, "embedding_model.dat"));
        (exitCode, text) = Cli.CliTests.Run("convert", fixture, "-o", output, "--emit-csharp");
        Assert.Equal(2, exitCode);
        Assert.Contains("--force", text);
        Assert.Equal(["embedding_model.cs"], Directory.GetFiles(scratch.Dir).Select(Path.GetFileName));
    }

    [Fact]
    public void AModelWithoutTranslationWritesNothing()
    {
        var path = MhaSelfFixture;
        using var scratch = new ConvertTests.Scratch();
        var (exitCode, text) = Cli.CliTests.Run("convert", path, "-o", Path.Combine(scratch.Dir, "m.kerasport"), "--emit-csharp");
        Assert.Equal(2, exitCode);
        Assert.Contains("'mha_self' (MultiHeadAttention)", text);
        Assert.Empty(Directory.GetFileSystemEntries(scratch.Dir));
    }

    /// <summary>Compiles the generated file against TorchSharp and the framework; warnings count as failures too.</summary>
    static Assembly Compile(CSharpModule emitted)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(TorchSharp.torch).Assembly.Location)
            .Distinct()
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Generated_" + emitted.ClassName,
            [CSharpSyntaxTree.ParseText(emitted.Source)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        var problems = result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ToList();
        Assert.True(result.Success && problems.Count == 0, string.Join("\n", problems) + "\n" + emitted.Source);
        return Assembly.Load(image.ToArray());
    }
}
