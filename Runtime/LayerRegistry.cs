using KerasPort.Runtime.Layers;

namespace KerasPort.Runtime;

/// <summary>Builds a layer from its construction context.</summary>
public delegate KerasLayer LayerFactory(LayerContext context);

/// <summary>Builds a layer from its construction context and its spec, read from the config before the call.</summary>
/// <typeparam name="TSpec">The layer's spec type.</typeparam>
public delegate KerasLayer LayerFactory<in TSpec>(LayerContext context, TSpec spec) where TSpec : LayerSpec;

/// <summary>
/// The one table from Keras class name to layer factory. <see cref="CreateDefault"/> holds every built-in
/// layer; users add their own layers (or replace built-ins) with <see cref="Register"/>.
/// </summary>
public sealed class LayerRegistry
{
    readonly Dictionary<string, LayerFactory> factories;
    readonly Dictionary<string, LayerFactory> layerFactories = new(StringComparer.Ordinal);
    readonly Dictionary<string, Func<string, string>> textStandardizers = new(StringComparer.Ordinal);
    readonly Dictionary<string, Func<string, IEnumerable<string>>> textSplitters = new(StringComparer.Ordinal);

    LayerRegistry(Dictionary<string, LayerFactory> factories) => this.factories = factories;

    /// <summary>A registry with every built-in layer.</summary>
    public static LayerRegistry CreateDefault() => BuiltInLayers.RegisterSpecced(new(new(StringComparer.Ordinal)));

    /// <summary>Adds or replaces the factory for <paramref name="className"/> (for a <c>keras.ops</c> node: <c>ops.</c> + class name). Returns this registry.</summary>
    public LayerRegistry Register(string className, LayerFactory factory)
    {
        factories[className] = factory;
        return this;
    }

    /// <summary>
    /// Adds or replaces the factory for every class <typeparamref name="TSpec"/> describes: the spec is read (and
    /// validated) from the config, then handed to <paramref name="factory"/>. Returns this registry.
    /// </summary>
    public LayerRegistry Register<TSpec>(LayerFactory<TSpec> factory) where TSpec : LayerSpec, ILayerSpec<TSpec>
    {
        foreach (var name in TSpec.ClassNames) factories[name] = context => factory(context, TSpec.Read(context));
        return this;
    }

    /// <summary>
    /// Uses <paramref name="factory"/> for the layer named <paramref name="layerName"/>, whatever its class: the way to
    /// supply a C# replacement for a <c>Lambda</c> layer (whose Python bytecode KerasPort never runs) or for one
    /// unsupported op. Takes precedence over class factories. Returns this registry.
    /// </summary>
    public LayerRegistry RegisterForLayer(string layerName, LayerFactory factory)
    {
        layerFactories[layerName] = factory;
        return this;
    }

    /// <summary>
    /// Uses <paramref name="standardize"/> wherever a <c>TextVectorization</c> config names the custom Python function
    /// <paramref name="functionName"/> as its <c>standardize</c> (its name, or its registered <c>package&gt;name</c>); the
    /// Python code itself is never run. Applied to each input string. Returns this registry.
    /// </summary>
    public LayerRegistry RegisterTextStandardize(string functionName, Func<string, string> standardize)
    {
        textStandardizers[functionName] = standardize;
        return this;
    }

    /// <summary>
    /// Uses <paramref name="split"/> wherever a <c>TextVectorization</c> config names the custom Python function
    /// <paramref name="functionName"/> as its <c>split</c>: one standardized string in, its tokens out. Returns this registry.
    /// </summary>
    public LayerRegistry RegisterTextSplit(string functionName, Func<string, IEnumerable<string>> split)
    {
        textSplitters[functionName] = split;
        return this;
    }

    /// <summary>The registered standardize function for any of <paramref name="names"/>, or null.</summary>
    internal Func<string, string>? TextStandardize(IEnumerable<string> names) =>
        names.Select(n => textStandardizers.GetValueOrDefault(n)).FirstOrDefault(f => f is not null);

    /// <summary>The registered split function for any of <paramref name="names"/>, or null.</summary>
    internal Func<string, IEnumerable<string>>? TextSplit(IEnumerable<string> names) =>
        names.Select(n => textSplitters.GetValueOrDefault(n)).FirstOrDefault(f => f is not null);

    /// <summary>True if <paramref name="className"/> can be built.</summary>
    public bool Supports(string className) => factories.ContainsKey(className);

    /// <summary>Every registered class name.</summary>
    public IEnumerable<string> ClassNames => factories.Keys.Order(StringComparer.Ordinal);

    /// <summary>Builds the layer <paramref name="context"/> describes, or throws <see cref="UnsupportedLayerException"/>.</summary>
    public KerasLayer Create(LayerContext context)
    {
        if (layerFactories.TryGetValue(context.Name, out var forLayer)) return forLayer(context);
        if (factories.TryGetValue(context.RegistryKey, out var factory)) return factory(context);
        var register = $"LayerRegistry.Register(\"{context.ClassName}\", context => new MyLayer(context))";
        throw new UnsupportedLayerException(context.RegistryKey, context.Name,
            context.Description.IsOp ? $"keras.ops op '{context.ClassName}' is not supported yet"
            : KerasLayerNames.IsKerasLayer(context.ClassName)
                ? $"'{context.ClassName}' is a Keras layer KerasPort does not support yet. To run this model now, register a C# implementation with {register}"
                : $"unknown/unregistered class '{context.ClassName}': not a Keras layer but a custom one, defined by its author's Python code. Register a C# implementation with {register}");
    }
}
