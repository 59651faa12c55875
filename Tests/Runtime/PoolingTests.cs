using KerasPort.Converters.Keras;

namespace KerasPort.Tests.Runtime;

/// <summary>
/// Average pooling with 'same' padding leaves padded cells out of each window's divisor (TensorFlow's rule): checked
/// against a direct loop over the real cells of every window, for symmetric pads (libtorch's count_include_pad=False
/// pooling) and asymmetric ones (the ratio of two zero-padded poolings).
/// </summary>
public sealed class PoolingTests
{
    [Theory]
    [InlineData(3, 1)]  // pads (1, 1): symmetric
    [InlineData(2, 1)]  // pads (0, 1): asymmetric
    [InlineData(3, 2)]  // on 7 cells, total pad 2: symmetric at stride 2
    [InlineData(5, 1)]  // pads (2, 2)
    public void SameAveragePoolingDividesByTheRealCells(int window, int stride)
    {
        const int batch = 2, height = 7, width = 6, channels = 3;
        using var model = KerasModel.Create(KerasConfigReader.Parse($$$"""
            {"module": "keras", "class_name": "Sequential", "config": {"name": "pool", "layers": [
              {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, {{{height}}}, {{{width}}}, {{{channels}}}], "dtype": "float32", "name": "x"}},
              {"module": "keras.layers", "class_name": "AveragePooling2D", "config": {"name": "avg", "pool_size": [{{{window}}}, {{{window}}}],
               "strides": [{{{stride}}}, {{{stride}}}], "padding": "same", "data_format": "channels_last"}}]}}
            """, "pool"));
        var random = new Random(window * 10 + stride);
        var x = Enumerable.Range(0, batch * height * width * channels).Select(_ => random.NextSingle() * 2 - 1).ToArray();
        var actual = model.Predict(NdArray.Of(x, batch, height, width, channels))[0];

        // TensorFlow's 'same': out = ceil(in / stride), the total pad split with the odd cell at the end.
        int Out(int size) => (size + stride - 1) / stride;
        int PadBefore(int size) => Math.Max((Out(size) - 1) * stride + window - size, 0) / 2;
        Assert.Equal([batch, Out(height), Out(width), channels], actual.Shape);
        var y = actual.ToFloats();
        for (int n = 0; n < batch; n++)
            for (int i = 0; i < Out(height); i++)
                for (int j = 0; j < Out(width); j++)
                    for (int c = 0; c < channels; c++)
                    {
                        double sum = 0;
                        int cells = 0;
                        for (int di = 0; di < window; di++)
                            for (int dj = 0; dj < window; dj++)
                            {
                                int r = i * stride + di - PadBefore(height), s = j * stride + dj - PadBefore(width);
                                if (r < 0 || r >= height || s < 0 || s >= width) continue;
                                sum += x[((n * height + r) * width + s) * channels + c];
                                cells++;
                            }
                        float got = y[((n * Out(height) + i) * Out(width) + j) * channels + c];
                        Assert.True(Math.Abs(got - sum / cells) <= 1e-6, $"({n}, {i}, {j}, {c}): {got} vs {sum / cells}");
                    }
    }
}
