using KerasPort.Converters.Numpy;
using KerasPort.Runtime;
using Xunit;

namespace KerasPort.Tests.Runtime;

/// <summary>
/// A layer with a float64 dtype policy computes in float64, as Keras does (its inputs autocast to float64, float64
/// variables), and the float32 layer after it casts back: golden case <c>keras3/dtype_policies</c>.
/// </summary>
public sealed class DTypePolicyTests
{
    [SkippableFact]
    public void AFloat64LayerComputesInFloat64AndTheNextLayerCastsBack()
    {
        var folder = SharedData.GoldenPath("keras3", "dtype_policies");
        var io = NpzArchive.Read(Path.Combine(folder, "io.npz"));
        using var model = KerasModel.Load(Path.Combine(folder, "model.keras"));
        var trace = model.Trace([io["in/x"]]);

        var float64 = trace.Find("dense_f64")!.Outputs[0];
        Assert.IsType<double[]>(float64.Data);
        // The golden file keeps Keras's float64 values rounded to float32, and the layer's input is our float32
        // dense_f32 output (a float32 ulp or so from Keras's): agreement within 4e-7 relative (measured: 1.9e-7).
        var (expected, actual) = (io["out/dense_f64/0"].ToDoubles(), float64.ToDoubles());
        double worst = expected.Select((e, i) => Math.Abs(e - actual[i]) / Math.Max(1, Math.Abs(e))).Max();
        Assert.True(worst < 4e-7, $"largest relative difference {worst}");

        Assert.IsType<float[]>(trace.Find("norm")!.Outputs[0].Data);
        Assert.IsType<float[]>(model.Predict(io["in/x"])[0].Data);
    }
}
