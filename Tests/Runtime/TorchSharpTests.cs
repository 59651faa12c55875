using KerasPort.Runtime.Layers;
using static TorchSharp.torch;

namespace KerasPort.Tests.Runtime;

/// <summary>TorchSharp's native library loads on this OS (the build patches it where libstdc++ predates GCC 13) and computes.</summary>
public sealed class TorchSharpTests
{
    [Fact]
    public void ConvolutionRunsOnCpu()
    {
        using var scope = NewDisposeScope();
        // A 3x3 box filter over a ramp: every output is 9 times the centre value of its window.
        var input = arange(25, float32).reshape(1, 1, 5, 5);
        var kernel = ones(1, 1, 3, 3);
        var output = nn.functional.conv2d(input, kernel);
        Assert.Equal([1L, 1, 3, 3], output.shape);
        var expected = arange(25, float32).reshape(5, 5)[1..4, 1..4] * 9;
        Assert.True(output.squeeze().allclose(expected));
    }

    /// <summary>
    /// Outputs leave libtorch as one copy of the tensor's memory: views that start inside their storage (a narrowed
    /// tensor, contiguous with an offset) and views that are not contiguous (a transpose) come out as their values.
    /// </summary>
    [Fact]
    public void TensorsBecomeArraysOfTheirOwnValues()
    {
        using var scope = NewDisposeScope();
        var grid = arange(12, float32).reshape(3, 4);
        var rows = KerasPort.Runtime.TensorConversions.ToNdArray(grid.narrow(0, 1, 2));
        Assert.Equal([2L, 4], rows.Shape);
        Assert.Equal(Enumerable.Range(4, 8).Select(i => (float)i), rows.ToFloats());
        var transposed = KerasPort.Runtime.TensorConversions.ToNdArray(grid.t());
        Assert.Equal([0f, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11], transposed.ToFloats());
        var ids = KerasPort.Runtime.TensorConversions.ToNdArray(arange(5, int64).narrow(0, 2, 3));
        Assert.Equal([2L, 3, 4], (long[])ids.Data);
        var flags = KerasPort.Runtime.TensorConversions.ToNdArray(arange(4, int64).ge(2));
        Assert.Equal([false, false, true, true], (bool[])flags.Data);
    }

    [Fact]
    public void MatmulShapeErrorsThrowInsteadOfTerminatingTheProcess()
    {
        using var scope = NewDisposeScope();
        // Plain matmul here would abort the test host: TorchSharp 0.107 lets this libtorch error escape uncaught.
        var error = Assert.Throws<ArgumentException>(() => ones(2, 3).MatmulChecked(ones(4, 5)));
        Assert.Contains("(2, 3) and (4, 5)", error.Message);
        Assert.Throws<ArgumentException>(() => ones(2, 2, 3).MatmulChecked(ones(3, 3, 4)));
        // Valid shapes, broadcast batches and vectors included, give torch's own result.
        foreach (var (a, b) in new[] { (randn(5, 2, 3), randn(3, 4)), (randn(1, 2, 3), randn(6, 3, 4)), (randn(3), randn(3, 2)), (randn(2, 3), randn(3)) })
            Assert.True(a.MatmulChecked(b).allclose(a.matmul(b), rtol: 0, atol: 0));
    }

    [SkippableFact]
    public void BuildPatchesOnlyTheOutputCopyOfTheNativeLibrary()
    {
        var output = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories).FirstOrDefault();
        Skip.If(output is null, "no libLibTorchSharp.so in the test output (not a Linux build)");
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
            ? packages
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var original = Path.Combine(cache, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Skip.IfNot(File.Exists(original), $"NuGet cache copy not found at {original}");

        var patched = File.ReadAllBytes(output!);
        var shipped = File.ReadAllBytes(original);
        Assert.Equal(shipped.Length, patched.Length);
        int differing = shipped.Zip(patched).Count(p => p.First != p.Second);
        bool systemHasVersion = new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib64/libstdc++.so.6" }
            .Where(File.Exists).Any(p => File.ReadAllText(p, System.Text.Encoding.Latin1).Contains("GLIBCXX_3.4.32\0"));
        // The patch flips one flag byte (VER_FLG_WEAK) and nothing else; the cache keeps the shipped bytes.
        Assert.Equal(systemHasVersion ? 0 : 1, differing);
    }
}
