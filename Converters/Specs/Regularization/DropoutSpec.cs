namespace KerasPort.Specs.Regularization;

/// <summary>
/// Keras <c>Dropout</c> and <c>SpatialDropout1D/2D/3D</c> (keras/src/layers/regularization/dropout.py,
/// spatial_dropout.py): the identity at inference.
/// </summary>
/// <param name="Rate">The fraction dropped in training, in [0, 1).</param>
/// <param name="NoiseShape">The shape of the keep mask (-1: the input's size), or null for the input's shape.</param>
/// <param name="Spatial">True for SpatialDropout: one draw per sample and channel.</param>
/// <param name="ChannelsFirst">SpatialDropout's <c>data_format</c> is channels_first.</param>
public sealed record DropoutSpec(double Rate, int[]? NoiseShape, bool Spatial, bool ChannelsFirst) : LayerSpec, ILayerSpec<DropoutSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"];

    /// <inheritdoc />
    public static DropoutSpec Read(LayerReader layer) => new(ReadRate(layer), layer.Ints("noise_shape"),
        layer.ClassName.StartsWith("SpatialDropout", StringComparison.Ordinal), layer.ChannelsFirst);

    /// <summary>The <c>rate</c> of a dropout layer (Keras 1's <c>p</c>, renamed on load), in [0, 1); 0 when absent.</summary>
    public static double ReadRate(LayerReader layer)
    {
        double rate = layer.Double("rate", 0);
        return rate is >= 0 and < 1 ? rate : throw layer.ConfigError("rate", $"must be in [0, 1), got {rate}");
    }
}
