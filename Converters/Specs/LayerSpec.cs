using KerasPort.Converters;

namespace KerasPort.Specs;

/// <summary>
/// A Keras layer's meaning, written once: its config under Keras's own names and defaults (legacy names already
/// mapped by <see cref="LegacyConfigNormalizer"/>), validated when read, and the roles of its weights. The runtime
/// layer, the ONNX lowering and the C# emitter all take the spec and read no config key themselves.
/// </summary>
public abstract record LayerSpec
{
    /// <summary>The layer's weights in the order Keras saves them (empty for a layer without weights).</summary>
    public virtual IReadOnlyList<WeightRole> WeightRoles => [];

    /// <summary>The names of <see cref="WeightRoles"/>, in order.</summary>
    public IReadOnlyList<string> WeightNames => [.. WeightRoles.Select(role => role.Name)];
}

/// <summary>
/// How a spec type is found and read: the Keras class names it stands for and its reader. Implemented by every
/// spec, so that one generic registration (<c>Register&lt;GRUSpec&gt;(...)</c>) serves every class the spec covers.
/// </summary>
/// <typeparam name="TSelf">The spec type itself.</typeparam>
public interface ILayerSpec<TSelf> where TSelf : LayerSpec, ILayerSpec<TSelf>
{
    /// <summary>The Keras class names (after legacy renames) this spec describes.</summary>
    static abstract IReadOnlyList<string> ClassNames { get; }

    /// <summary>Reads and validates the config of <paramref name="layer"/>; throws <see cref="LayerConfigException"/> on a bad value.</summary>
    static abstract TSelf Read(LayerReader layer);
}

/// <summary>One weight of a layer: the name Keras gives the variable, and the names Keras 1 files give it, if any.</summary>
/// <param name="Name">The Keras 2/3 variable name, e.g. <c>recurrent_kernel</c>.</param>
/// <param name="LegacyNames">Keras 1 names of the same array, e.g. <c>U</c>.</param>
public sealed record WeightRole(string Name, params string[] LegacyNames);
