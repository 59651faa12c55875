using KerasPort.Reference.Golden;
using KerasPort.Reference.Parity;

namespace KerasPort.Tests.Runtime;

/// <summary>
/// float8-quantized Dense and EinsumDense layers: real Keras 3.15.1 writes and reloads the files
/// (Tests/python/float8_case.py), and the expected outputs follow Keras's float8 formula in numpy, since Keras cannot call
/// a float8 layer on this torch. Not checked against a Keras call: the golden data has no float8 case
/// (../shared/golden/keras3/SKIPPED.md).
/// </summary>
[Trait("Category", RealKeras.Category)]
public sealed class Float8Tests
{
    static readonly Lazy<string> Case = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("kerasport-float8-").FullName;
        var (exitCode, output) = RealKeras.Run(Path.Combine(TestPaths.RepoRoot, "Tests", "python", "float8_case.py"), folder);
        Assert.True(exitCode == 0, output);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        return folder;
    });

    [SkippableTheory]
    [InlineData("model.keras")]
    [InlineData("model.h5")]
    public void FloatEightLayersComputeKerassFormula(string file)
    {
        var io = NpzArchive.Read(Path.Combine(Case.Value, "io.npz"));
        using var model = KerasModel.Create(KerasModelReader.Load(Path.Combine(Case.Value, file)));
        var output = model.Predict(io["in/x"])[0];
        var comparison = ParityRunner.Compare("final/0", output, io["final/0"], Tolerance.Default);
        Assert.True(comparison.Passed, $"max abs error {comparison.MaxAbsError:G4}");
    }

    /// <summary>Keras creates every float8 variable trainable (dense.py <c>_float8_build</c>): the kernel, the scales and the amax histories.</summary>
    [SkippableFact]
    public void EveryFloatEightVariableIsTrainable()
    {
        using var model = KerasModel.Create(KerasModelReader.Load(Path.Combine(Case.Value, "model.keras")));
        var summary = ModelSummary.Build(model);
        Assert.Equal(summary.Params.Total, summary.Params.Trainable);
        Assert.Contains(summary.Rows, r => r.Quantization == "float8_from_float32");
    }
}
