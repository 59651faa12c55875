using System.Text.Json.Nodes;
using KerasPort.Converters.Keras;
using KerasPort.Converters.Model;
using KerasPort.KerasHub;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.KerasHub.Modeling;

/// <summary>
/// The sublayers a composite keras_hub layer creates in its <c>build</c> (a TransformerDecoder's attention, norms,
/// Dense and Dropout layers), built through the registry from the config the Python layer gives them, each with the
/// weights saved under its attribute's group (<c>_self_attention_layer/...</c>: keras/src/saving/saving_lib.py saves
/// a layer-valued attribute under its name). The owner disposes them.
/// </summary>
internal sealed class HubSublayers : IDisposable
{
    readonly LayerContext owner;
    readonly List<KerasLayer> built = [];

    /// <summary>Sublayers of the layer <paramref name="owner"/> builds.</summary>
    public HubSublayers(LayerContext owner) => this.owner = owner;

    /// <summary>
    /// Builds Keras layer <paramref name="className"/> (a Keras 3 config) or, with a <c>keras_hub&gt;</c> prefix, a
    /// keras_hub layer, from the weights under <paramref name="attribute"/>.
    /// </summary>
    public KerasLayer Create(string attribute, string className, JsonObject config)
    {
        config = HubGraph.AsRead(config);
        var name = $"{owner.Name}/{(string?)config["name"] ?? attribute}";
        var weights = NestedLayerDescriptions.Child(owner.Weights, attribute);
        LayerDescription description;
        if (className.StartsWith(HubPrefix, StringComparison.Ordinal))
            description = new() { Name = name, ClassName = className[HubPrefix.Length..], Config = config, Weights = weights, Module = HubModule };
        else
        {
            var (kerasClass, kerasConfig) = LegacyConfigNormalizer.Normalize(className, config, "torch");
            description = new() { Name = name, ClassName = kerasClass, Config = kerasConfig, Weights = weights };
        }
        var layer = owner.Registry.Create(owner.ForInner(description, null));
        built.Add(layer);
        return layer;
    }

    /// <summary>A Dropout sublayer (no weights): the identity at inference.</summary>
    public KerasLayer Dropout(string attribute, double rate) => Create(attribute, "Dropout", new JsonObject { ["name"] = attribute.TrimStart('_'), ["rate"] = rate });

    /// <summary>A LayerNormalization sublayer over the last axis.</summary>
    public KerasLayer LayerNorm(string attribute, double epsilon) =>
        Create(attribute, "LayerNormalization", new JsonObject { ["name"] = attribute.TrimStart('_'), ["axis"] = -1, ["epsilon"] = epsilon });

    /// <summary>A Dense sublayer with a bias.</summary>
    public KerasLayer Dense(string attribute, int units, string activation = "linear") =>
        Create(attribute, "Dense", new JsonObject { ["name"] = attribute.TrimStart('_'), ["units"] = units, ["activation"] = activation, ["use_bias"] = true });

    /// <summary>Calls <paramref name="layer"/> on <paramref name="x"/> alone (training flag passed on), returning its first output.</summary>
    public static Tensor Apply(KerasLayer layer, CallArguments call, Tensor x) =>
        layer.Call(call.ForInner([x], new Dictionary<string, object?>(), null))[0];

    /// <summary>A position argument (<c>start_index</c>, <c>cache_update_index</c>): a scalar tensor or a constant; null when absent.</summary>
    public static long? Index(object? value) => value switch
    {
        Tensor index => index.item<long>(),
        System.Text.Json.Nodes.JsonValue constant => (long)constant,
        _ => null,
    };

    const string HubPrefix = "keras_hub>";
    const string HubModule = "keras_hub.src.layers";

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var layer in built) layer.Dispose();
        built.Clear();
    }
}
