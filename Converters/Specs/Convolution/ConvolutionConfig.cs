using KerasPort.Converters.Keras;

namespace KerasPort.Specs.Convolution;

/// <summary>The config entries the convolution specs share, read and validated once.</summary>
internal static class ConvolutionConfig
{
    /// <summary>The output channel count (<c>filters</c>), positive, or -1 when the config has none (then the kernel's shape decides).</summary>
    public static long Filters(LayerReader layer)
    {
        int filters = layer.Int("filters", -1);
        return filters is -1 or > 0 ? filters : throw layer.ConfigError("filters", $"must be positive, got {filters}");
    }

    /// <summary>A positive integer entry, <paramref name="fallback"/> when absent.</summary>
    public static long Positive(LayerReader layer, string key, int fallback)
    {
        int value = layer.Int(key, fallback);
        return value > 0 ? value : throw layer.ConfigError(key, $"must be positive, got {value}");
    }
}
