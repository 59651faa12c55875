namespace KerasPort.KerasHub;

/// <summary>
/// The sublayers a composite keras_hub layer creates in its <c>build</c> (a TransformerDecoder's attention, norms,
/// Dense and Dropout layers) as layer descriptions: the config the Python layer gives each, and the weights saved under
/// its attribute's group (<c>_self_attention_layer/...</c>: keras/src/saving/saving_lib.py saves a layer-valued
/// attribute under its name). The runtime builds them through its registry, the ONNX writer lowers them.
/// </summary>
internal static class HubSublayerDescriptions
{
    const string HubModule = "keras_hub.src.layers";

    /// <summary>
    /// Sublayer <paramref name="attribute"/> of <paramref name="owner"/>: Keras layer <paramref name="className"/> (a
    /// Keras 3 config) or, with a <c>keras_hub&gt;</c> prefix, a keras_hub layer.
    /// </summary>
    public static LayerDescription Of(LayerReader owner, string attribute, string className, JsonObject config)
    {
        config = HubGraph.AsRead(config);
        var name = $"{owner.Name}/{(string?)config["name"] ?? attribute}";
        var weights = NestedLayerDescriptions.Child(owner.Weights, attribute);
        if (className.StartsWith(KerasHubArchitectures.Package, StringComparison.Ordinal))
            return new() { Name = name, ClassName = className[KerasHubArchitectures.Package.Length..], Config = config, Weights = weights, Module = HubModule };
        var (kerasClass, kerasConfig) = LegacyConfigNormalizer.Normalize(className, config, "torch");
        return new() { Name = name, ClassName = kerasClass, Config = kerasConfig, Weights = weights };
    }

    /// <summary>A Dropout sublayer (no weights).</summary>
    public static LayerDescription Dropout(LayerReader owner, string attribute, double rate) =>
        Of(owner, attribute, "Dropout", new JsonObject { ["name"] = attribute.TrimStart('_'), ["rate"] = rate });

    /// <summary>A LayerNormalization sublayer over the last axis.</summary>
    public static LayerDescription LayerNorm(LayerReader owner, string attribute, double epsilon) =>
        Of(owner, attribute, "LayerNormalization", new JsonObject { ["name"] = attribute.TrimStart('_'), ["axis"] = -1, ["epsilon"] = epsilon });

    /// <summary>A Dense sublayer with a bias.</summary>
    public static LayerDescription Dense(LayerReader owner, string attribute, int units, string activation = "linear") =>
        Of(owner, attribute, "Dense", new JsonObject { ["name"] = attribute.TrimStart('_'), ["units"] = units, ["activation"] = activation, ["use_bias"] = true });

    /// <summary>An attention sublayer of class <paramref name="className"/> (MultiHeadAttention or a cached keras_hub one) with biases.</summary>
    public static LayerDescription Attention(LayerReader owner, string attribute, string name, string className, int heads, int headDim, double dropout) =>
        Of(owner, attribute, className, new JsonObject
        {
            ["name"] = name, ["num_heads"] = heads, ["key_dim"] = headDim, ["value_dim"] = headDim, ["dropout"] = dropout, ["use_bias"] = true,
        });
}
