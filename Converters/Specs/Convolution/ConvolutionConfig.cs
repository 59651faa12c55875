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
}
