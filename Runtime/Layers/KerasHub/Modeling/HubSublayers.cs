using KerasPort.KerasHub;

namespace KerasPort.Runtime.Layers.KerasHub.Modeling;

/// <summary>
/// The sublayers a composite keras_hub layer creates in its constructor or <c>build</c> (its attributes:
/// <c>self.query_dense = EinsumDense(...)</c>), each with the weights saved under the attribute's group
/// (<c>query_dense/vars/0</c>: Keras saves a layer's sublayers under their attribute names, keras/src/saving/saving_lib.py
/// <c>_save_state</c>; descriptions from <see cref="HubSublayerDescriptions"/>). Registry-built ones and those handed
/// to <see cref="Own{T}"/> are disposed with this object, which the owner disposes.
/// </summary>
internal sealed class HubSublayers : IDisposable
{
    readonly LayerContext owner;
    readonly List<KerasLayer> built = [];

    /// <summary>Sublayers of the layer <paramref name="owner"/> builds.</summary>
    public HubSublayers(LayerContext owner) => this.owner = owner;

    /// <summary>Builds the sublayer <paramref name="description"/> (from <see cref="HubSublayerDescriptions"/>).</summary>
    public KerasLayer Create(LayerDescription description) => Own(owner.Registry.Create(owner.ForInner(description, null)));

    /// <summary>
    /// Sublayer <paramref name="attribute"/>: Keras layer <paramref name="className"/> (a Keras 3 config) or, with a
    /// <c>keras_hub&gt;</c> prefix, a keras_hub layer, with the owner's weights under that attribute
    /// (<see cref="HubSublayerDescriptions.Of"/>).
    /// </summary>
    public KerasLayer Create(string attribute, string className, JsonObject config) => Create(HubSublayerDescriptions.Of(owner, attribute, className, config));

    /// <summary>
    /// The context of sublayer <paramref name="attribute"/> (named after it), of keras_hub class
    /// <paramref name="hubClass"/>, for one the owner constructs itself as its own class; hand it to <see cref="Own{T}"/>.
    /// </summary>
    public LayerContext HubContext(string attribute, string hubClass, JsonObject config)
    {
        config["name"] = attribute;
        return owner.ForInner(HubSublayerDescriptions.Of(owner, attribute, KerasHubArchitectures.Package + hubClass, config), null);
    }

    /// <summary>Disposes <paramref name="layer"/> with the other sublayers; returns it.</summary>
    public T Own<T>(T layer) where T : KerasLayer
    {
        built.Add(layer);
        return layer;
    }

    /// <summary>The owner's context, for <see cref="HubSublayerDescriptions"/>.</summary>
    public LayerContext Owner => owner;

    /// <summary>A Dropout sublayer: the identity at inference.</summary>
    public KerasLayer Dropout(string attribute, double rate) => Create(HubSublayerDescriptions.Dropout(owner, attribute, rate));

    /// <summary>A LayerNormalization sublayer over the last axis.</summary>
    public KerasLayer LayerNorm(string attribute, double epsilon) => Create(HubSublayerDescriptions.LayerNorm(owner, attribute, epsilon));

    /// <summary>A Dense sublayer with a bias.</summary>
    public KerasLayer Dense(string attribute, int units, string activation = "linear") => Create(HubSublayerDescriptions.Dense(owner, attribute, units, activation));

    /// <summary>A linear Dense sublayer without bias, named after its attribute.</summary>
    public KerasLayer DenseWithoutBias(string attribute, long units) =>
        Create(attribute, "Dense", new JsonObject { ["name"] = attribute, ["units"] = units, ["use_bias"] = false, ["activation"] = "linear" });

    /// <summary>A Keras <c>EinsumDense</c> sublayer without bias, named after its attribute.</summary>
    public KerasLayer EinsumDense(string attribute, string equation, params int?[] outputShape) =>
        Create(attribute, "EinsumDense", new JsonObject
        {
            ["name"] = attribute,
            ["equation"] = equation,
            ["output_shape"] = new JsonArray([.. outputShape.Select(d => d is { } size ? JsonValue.Create(size) : null)]),
            ["bias_axes"] = null,
            ["activation"] = "linear",
        });

    /// <summary>Calls <paramref name="layer"/> on <paramref name="x"/> alone (training flag passed on), returning its first output.</summary>
    public static Tensor Apply(KerasLayer layer, CallArguments call, Tensor x) =>
        layer.Call(call.ForInner([x], new Dictionary<string, object?>(), null))[0];

    /// <summary>Calls <paramref name="layer"/> on <paramref name="x"/> alone at inference, returning its first output.</summary>
    public static Tensor Apply(KerasLayer layer, Tensor x) => layer.Call(new([x], new Dictionary<string, object?>()))[0];

    /// <summary>Positional argument <paramref name="position"/> of a call, or its keyword <paramref name="name"/>.</summary>
    public static object? Argument(CallArguments call, int position, string name) =>
        position < call.Args.Count ? call.Args[position] : call.Kwargs.GetValueOrDefault(name);

    /// <summary>A position argument (<c>start_index</c>, <c>cache_update_index</c>): a scalar tensor or a constant; null when absent.</summary>
    public static long? Index(object? value) => value switch
    {
        Tensor index => index.item<long>(),
        System.Text.Json.Nodes.JsonValue constant => (long)constant,
        _ => null,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var layer in built) layer.Dispose();
        built.Clear();
    }
}
