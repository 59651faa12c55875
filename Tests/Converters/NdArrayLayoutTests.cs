namespace KerasPort.Tests.Converters;

/// <summary>The strided weight rearrangements agree with numpy's definitions, element by element.</summary>
public sealed class NdArrayLayoutTests
{
    static NdArray Counting(params long[] shape) =>
        NdArray.Of(Enumerable.Range(0, (int)shape.Aggregate(1L, (a, b) => a * b)).Select(i => (float)i).ToArray(), shape);

    [Theory]
    [InlineData(new[] { 1, 0 })]
    [InlineData(new[] { 2, 3, 1, 0 })]
    [InlineData(new[] { 0, 1, 3, 2 })]
    [InlineData(new[] { 3, 2, 0, 1 })]
    public void TransposeMovesEveryElementWhereNumpyDoes(int[] axes)
    {
        long[] shape = axes.Length == 2 ? [3, 5] : [2, 3, 4, 5];
        var a = Counting(shape);
        var t = NdArrayLayout.Transpose(a, axes);
        Assert.Equal(axes.Select(i => shape[i]), t.Shape);
        var values = t.ToFloats();
        var targetIndex = new long[shape.Length];
        for (int flat = 0; flat < values.Length; flat++)
        {
            long rest = flat;
            for (int d = shape.Length - 1; d >= 0; d--) { targetIndex[d] = rest % t.Shape[d]; rest /= t.Shape[d]; }
            var sourceIndex = new long[shape.Length];
            for (int d = 0; d < shape.Length; d++) sourceIndex[axes[d]] = targetIndex[d];
            long source = 0;
            for (int d = 0; d < shape.Length; d++) source = source * shape[d] + sourceIndex[d];
            Assert.Equal(source, (long)values[flat]);
        }
    }

    [Fact]
    public void FlipLeadingReversesOnlyTheLeadingAxes()
    {
        var a = Counting(2, 3, 2);
        var f = NdArrayLayout.FlipLeading(a, 2).ToFloats();
        // f[i, j, k] = a[1 - i, 2 - j, k]
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 2; k++)
                    Assert.Equal((1 - i) * 6 + (2 - j) * 2 + k, f[i * 6 + j * 2 + k]);
    }

    [Fact]
    public void OtherElementTypesAndScalarsKeepTheirValues()
    {
        var ints = NdArrayLayout.Transpose(NdArray.Of(new[] { 1, 2, 3, 4, 5, 6 }, 2, 3), 1, 0);
        Assert.Equal(new[] { 1, 4, 2, 5, 3, 6 }, (int[])ints.Data);
        var scalar = NdArrayLayout.Transpose(NdArray.Of(new[] { 7.5 }), []);
        Assert.Equal(new[] { 7.5 }, (double[])scalar.Data);
    }
}
