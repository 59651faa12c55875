using KerasPort.Cli.Onnx;
using KerasPort.Converters.Onnx;
using KerasPort.Reference.Golden;
using KerasPort.Reference.Parity;

namespace KerasPort.Tests.Converters;

/// <summary>
/// Every golden case exported to ONNX by <see cref="OnnxModelWriter"/> and run by ONNX Runtime must reproduce Keras's
/// outputs (io.npz <c>final/k</c>) within the case's tolerance, from every file format the case ships.
/// Cases that <c>Tests/golden-gaps.txt</c> lists for the <c>onnx</c> suite must instead still fail (see <see cref="GoldenGaps"/>),
/// so that the ledger never hides a case that works; every other case is a hard test.
/// </summary>
public sealed class OnnxExportTests
{
    /// <summary>Every golden case in every format it ships with weights (keras, h5, json, legacy, yaml).</summary>
    public static TheoryData<string, string> Cases() => SharedData.Rows(TestPaths.Golden, golden =>
        from goldenCase in GoldenCase.FindCaseDirectories(golden).Select(GoldenCase.Load)
        from format in GoldenFormat.All
        where !format.ArchitectureOnly && format.IsPresentIn(goldenCase)
        select (goldenCase.Id, format.Name));

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void GoldenCaseExportsAndMatchesKerasInOnnxRuntime(string caseId, string format)
    {
        GoldenGaps.Run("onnx", caseId, () => ExportsAndMatches(caseId, format), format);
    }

    static void ExportsAndMatches(string caseId, string format)
    {
        var goldenCase = GoldenCase.Load(SharedData.GoldenPath(caseId));
        var golden = GoldenFormat.Parse(format);
        Assert.Null(Mismatch(goldenCase, golden));
    }

    /// <summary>Exports the case, runs it with ONNX Runtime on the golden inputs; null when every output matches, else what differs.</summary>
    static string? Mismatch(GoldenCase goldenCase, GoldenFormat format)
    {
        var description = KerasModelReader.Load(goldenCase.PathOf(format.ModelFile), format.WeightsFile is null ? null : goldenCase.PathOf(format.WeightsFile));
        var bytes = OnnxModelWriter.ToBytes(description);
        var io = NpzArchive.Read(goldenCase.PathOf("io.npz"));
        var (inputNames, outputNames) = OnnxModelWriter.TensorNames(description);
        var inputs = inputNames.Zip(goldenCase.InputKeys).ToDictionary(p => p.First, p => io[p.Second]);
        using var runner = new OnnxModelRunner(bytes);
        var outputs = runner.Run(inputs);
        var problems = new List<string>();
        for (int i = 0; i < goldenCase.OutputKeys.Count; i++)
        {
            var comparison = ParityRunner.Compare(goldenCase.OutputKeys[i], outputs[outputNames[i]], io[goldenCase.OutputKeys[i]], goldenCase.Tolerance);
            if (!comparison.Passed)
                problems.Add($"{goldenCase.OutputKeys[i]}: {comparison.Problem ?? $"max abs error {comparison.MaxAbsError:G4}, {comparison.OutOfTolerance} values out of tolerance"}");
        }
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    [Fact]
    public void ConvertToOnnxWritesTheFileAndVerifiesItWithOnnxRuntime()
    {
        var folder = Directory.CreateTempSubdirectory("kerasport-onnx-").FullName;
        try
        {
            var output = Path.Combine(folder, "m.onnx");
            var (exitCode, text) = Cli.CliTests.Run("convert", Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "core", "embedding", "model.h5"), "--to", "onnx", "-o", output);
            Assert.True(exitCode == 0, text);
            Assert.Matches(@"verify: max abs difference [\d.eE+-]+ on seeded inputs", text);
            Assert.Contains($"wrote {output}: onnx", text);
            Assert.True(new FileInfo(output).Length > 0);
            var (again, refused) = Cli.CliTests.Run("convert", Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "core", "embedding", "model.h5"), "--to", "onnx", "-o", output);
            Assert.Equal(2, again);
            Assert.Contains("already exists", refused);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Quantized kernels stay int8 initializers (int4 unpacked, one value per byte) and int8 layers multiply integers
    /// (MatMulInteger, or Einsum in int32) after quantizing their input; that the outputs are Keras's is the golden suite's job.
    /// </summary>
    [SkippableTheory]
    [InlineData("keras3/quantized_int8_dense", "MatMulInteger")]
    [InlineData("keras3/quantized_int8_einsum_dense", "Einsum")]
    [InlineData("keras3/quantized_int4_dense", "MatMul")]
    public void QuantizedKernelsStayInt8InTheOnnxGraph(string caseId, string product)
    {
        var description = KerasModelReader.Load(SharedData.GoldenPath(caseId, "model.keras"));
        var graph = OnnxModelWriter.Build(description).Graph;
        Assert.Contains(graph.Initializer, t => t.DataType == (int)OnnxType.Int8);
        Assert.DoesNotContain(graph.Initializer, t => t.DataType == (int)OnnxType.Float && t.Name.EndsWith("kernel", StringComparison.Ordinal));
        Assert.Contains(graph.Node, n => n.OpType == product);
        if (caseId.Contains("int8", StringComparison.Ordinal)) Assert.Contains(graph.Node, n => n.OpType == "Round");
    }

    [Fact]
    public void ALayerOnnxCannotExpressIsRefusedByNameAndClass()
    {
        var description = KerasModelReader.Load(Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "core", "embedding", "model.keras"));
        var embedding = description.Layers.First(l => l.ClassName == "Embedding");
        var renamed = description with { Layers = description.Layers.Select(l => l == embedding ? l with { ClassName = "MadeUpLayer" } : l).ToList() };
        var error = Assert.Throws<UnsupportedLayerException>(() => OnnxModelWriter.ToBytes(renamed));
        Assert.Equal("MadeUpLayer", error.ClassName);
        Assert.Contains(embedding.Name, error.Message);
    }
}
