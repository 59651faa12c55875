using KerasPort.KerasHub;
using KerasPort.Runtime.Layers.KerasHub.Modeling;

namespace KerasPort.Runtime.Layers.KerasHub;

/// <summary>Builds a composite keras_hub layer's sublayer from its attribute, class and config in one call.</summary>
internal static class HubSublayerCalls
{
    /// <summary>
    /// Sublayer <paramref name="attribute"/>: Keras layer <paramref name="className"/> (a Keras 3 config) or, with a
    /// <c>keras_hub&gt;</c> prefix, a keras_hub layer, with the owner's weights under that attribute
    /// (<see cref="HubSublayerDescriptions.Of"/>).
    /// </summary>
    public static KerasLayer Create(this HubSublayers sublayers, string attribute, string className, JsonObject config) =>
        sublayers.Create(HubSublayerDescriptions.Of(sublayers.Owner, attribute, className, config));
}
