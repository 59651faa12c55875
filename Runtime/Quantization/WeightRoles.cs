using KerasPort.Runtime.Layers;

namespace KerasPort.Runtime.Quantization;

/// <summary>
/// The weights of a quantized or LoRA layer by the names Keras gives its variables, wherever the file put them
/// (<see cref="LayerReader.WeightIndices"/>), and which of them Keras freezes.
/// </summary>
internal sealed class WeightRoles
{
    readonly Dictionary<string, int> indices;
    /// <summary>
    /// True when the layer creates its weights (an architecture-only load): each role then gets the next index when
    /// first asked for, as <see cref="LayerContext.Weight"/> creates weights in the order they are asked for.
    /// </summary>
    readonly bool created;

    WeightRoles(Dictionary<string, int> indices, bool created) => (this.indices, this.created) = (indices, created);

    /// <summary>The weights of <paramref name="context"/>'s layer, which Keras saves as <paramref name="roles"/> in that order.</summary>
    public static WeightRoles Of(LayerContext context, IReadOnlyList<string> roles) => Creates(context) ? new([], true)
        : new(context.WeightIndicesByRole(roles), false);

    /// <summary>The weights of a plain (float) layer: <paramref name="roles"/> in file order, as every Keras saves them.</summary>
    public static WeightRoles Positional(LayerContext context, IReadOnlyList<string> roles)
    {
        if (Creates(context)) return new([], true);
        context.ExpectWeightCount(roles.Count);
        return new(roles.Select((role, i) => (role, i)).ToDictionary(p => p.role, p => p.i), false);
    }

    static bool Creates(LayerContext context) => context.InitializeMissingWeights && context.Weights.Count == 0;

    /// <summary>The index of <paramref name="role"/> among the layer's weights.</summary>
    public int this[string role] => indices.TryGetValue(role, out var index) ? index
        : created ? indices[role] = indices.Count
        : throw new KeyNotFoundException($"no '{role}' weight");

    /// <summary>True if the layer has a weight named <paramref name="role"/>.</summary>
    public bool Has(string role) => indices.ContainsKey(role);

    /// <summary>True for a weight Keras creates with <c>trainable=False</c> (kernels, scales, zero points, g_idx).</summary>
    public bool IsFrozen(int index) => indices.Any(p => p.Value == index && KerasQuantization.IsFrozen(p.Key));
}
