namespace KerasPort.Runtime.Layers.KerasHub;

/// <summary>
/// Builds the layers a KerasHub layer creates in its constructor or <c>build</c> (its attributes: <c>self.query_dense =
/// EinsumDense(...)</c>), each with the weights saved under the attribute's group (<c>query_dense/vars/0</c>: Keras
/// saves a layer's sublayers under their attribute names, keras/src/saving/saving_lib.py <c>_save_state</c>).
/// </summary>
internal static class HubAttributeLayers
{
    const string HubModule = "keras_hub.src.layers";

    /// <summary>The context of the sublayer at attribute <paramref name="attribute"/> of <paramref name="outer"/>, of class <paramref name="className"/>.</summary>
    public static LayerContext Context(LayerContext outer, string attribute, string className, JsonObject config, bool kerasHub = false)
    {
        config["name"] = attribute;
        var description = new LayerDescription
        {
            Name = $"{outer.Name}/{attribute}", ClassName = className, Config = config,
            Weights = NestedLayerDescriptions.Child(outer.Weights, attribute), Module = kerasHub ? HubModule : null,
        };
        return outer.ForInner(description, null);
    }

    /// <summary>A Keras <c>EinsumDense</c> without bias at attribute <paramref name="attribute"/>, built through the registry.</summary>
    public static KerasLayer EinsumDense(LayerContext outer, string attribute, string equation, params int?[] outputShape) =>
        outer.Registry.Create(Context(outer, attribute, "EinsumDense", new JsonObject
        {
            ["equation"] = equation,
            ["output_shape"] = new JsonArray([.. outputShape.Select(d => d is { } size ? JsonValue.Create(size) : null)]),
            ["bias_axes"] = null,
            ["activation"] = "linear",
        }));

    /// <summary>Calls <paramref name="layer"/> on <paramref name="x"/> alone and returns its first output.</summary>
    public static TorchSharp.torch.Tensor Apply(this KerasLayer layer, TorchSharp.torch.Tensor x) =>
        layer.Call(new([x], new Dictionary<string, object?>()))[0];
}
