using KerasPort.KerasHub;

namespace KerasPort.Runtime.Layers.KerasHub.Modeling;

/// <summary>
/// The sublayers of a composite keras_hub layer (<see cref="HubSublayerDescriptions"/>), built through the registry;
/// the owner disposes them.
/// </summary>
internal sealed class HubSublayers : IDisposable
{
    readonly LayerContext owner;
    readonly List<KerasLayer> built = [];

    /// <summary>Sublayers of the layer <paramref name="owner"/> builds.</summary>
    public HubSublayers(LayerContext owner) => this.owner = owner;

    /// <summary>Builds the sublayer <paramref name="description"/> (from <see cref="HubSublayerDescriptions"/>).</summary>
    public KerasLayer Create(LayerDescription description)
    {
        var layer = owner.Registry.Create(owner.ForInner(description, null));
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

    /// <summary>Calls <paramref name="layer"/> on <paramref name="x"/> alone (training flag passed on), returning its first output.</summary>
    public static Tensor Apply(KerasLayer layer, CallArguments call, Tensor x) =>
        layer.Call(call.ForInner([x], new Dictionary<string, object?>(), null))[0];

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
