namespace KerasPort.Specs.KerasHub;

/// <summary>
/// Shared rules of keras_hub's MobileNet blocks (keras_hub/src/models/mobilenet/mobilenet_backbone.py and util.py):
/// every BatchNormalization has epsilon 1e-5, and channel counts are rounded by <c>adjust_channels</c>.
/// </summary>
public static class MobileNetChannels
{
    /// <summary>The blocks' BatchNormalization epsilon (<c>BN_EPSILON</c>).</summary>
    public const double BatchNormEpsilon = 1e-5;

    /// <summary>
    /// keras_hub/src/models/mobilenet/util.py <c>adjust_channels</c>: <paramref name="x"/> rounded to the nearest multiple
    /// of <paramref name="divisor"/> (at least the divisor), plus one more divisor when rounding lost over 10%.
    /// </summary>
    public static int Adjust(double x, int divisor = 8)
    {
        int adjusted = Math.Max(divisor, (int)Math.Floor(x + divisor / 2.0) / divisor * divisor);
        return adjusted < 0.9 * x ? adjusted + divisor : adjusted;
    }
}
