namespace KerasPort.Specs;

/// <summary>
/// The one table from Keras class name to layer spec. The runtime, the ONNX lowerings and the C# emitter register
/// their handlers by spec type; the class names come from here. Every built-in class has a spec (LayerSpecTests).
/// </summary>
public static class LayerSpecs
{
    static readonly Dictionary<string, Func<LayerReader, LayerSpec>> Readers = Build();

    static Dictionary<string, Func<LayerReader, LayerSpec>> Build()
    {
        var table = new Dictionary<string, Func<LayerReader, LayerSpec>>(StringComparer.Ordinal);
        BuiltInSpecs.Register(table);
        return table;
    }

    /// <summary>Adds <typeparamref name="TSpec"/>'s reader under each of its class names.</summary>
    internal static void Add<TSpec>(IDictionary<string, Func<LayerReader, LayerSpec>> table) where TSpec : LayerSpec, ILayerSpec<TSpec>
    {
        foreach (var name in TSpec.ClassNames) table[name] = layer => TSpec.Read(layer);
    }

    /// <summary>Every class name that has a built-in spec.</summary>
    public static IEnumerable<string> ClassNames => Readers.Keys.Order(StringComparer.Ordinal);

    /// <summary>True if <paramref name="className"/> has a built-in spec.</summary>
    public static bool Has(string className) => Readers.ContainsKey(className);

    /// <summary>
    /// The spec of <paramref name="layer"/> (found by <see cref="LayerDescription.RegistryKey"/>: a <c>keras.ops</c> node's
    /// spec is not the same-named layer's), or null when its class has none.
    /// </summary>
    public static LayerSpec? Read(LayerReader layer) => Readers.TryGetValue(layer.Description.RegistryKey, out var read) ? read(layer) : null;

    /// <summary>
    /// The spec of a layer known only by its class, config and name (a wrapper's inner layer, for the weight-path
    /// tables), as Keras <paramref name="kerasMajor"/> means it; null when its class has none.
    /// </summary>
    public static LayerSpec? Read(string className, JsonObject config, string layerName, int kerasMajor) => Has(className)
        ? Read(LayerReader.Of(new LayerDescription { Name = layerName, ClassName = className, Config = config }, kerasMajor))
        : null;
}
