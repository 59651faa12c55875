namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>
/// Builds the layers and cells nested in a recurrent layer or wrapper (an RNN's cell, a Bidirectional's two
/// layers, a TimeDistributed's layer) from their serialized config, each with its share of the weights
/// (the layouts are <see cref="NestedLayerDescriptions"/>'s).
/// </summary>
internal static class NestedLayers
{
    /// <summary>
    /// Builds the layer <paramref name="serialized"/> describes (<c>{"class_name", "config"}</c>) with the
    /// registry of <paramref name="outer"/>, for calls on <paramref name="inputShapes"/> (see
    /// <see cref="LayerContext.ForInner"/>). <paramref name="adjust"/> may edit a copy of its config first.
    /// </summary>
    public static KerasLayer Create(LayerContext outer, JsonNode? serialized, string role, IReadOnlyList<WeightArray> weights,
        IReadOnlyList<long[]>? inputShapes, Action<JsonObject>? adjust = null) =>
        outer.Registry.Create(outer.ForInner(NestedLayerDescriptions.Of(outer, serialized, role, weights, adjust), inputShapes));
}
