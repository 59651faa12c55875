using System.Text.Json.Nodes;
using KerasPort.Converters;
using KerasPort.Converters.Model;

namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>
/// Builds the layers and cells nested in a recurrent layer or wrapper (an RNN's cell, a Bidirectional's two
/// layers, a TimeDistributed's layer) from their serialized config, and hands each its share of the weights.
/// </summary>
/// <remarks>
/// Keras 3 files (<c>.keras</c>, <c>model.weights.h5</c>) name weights by their HDF5 path inside the layer's
/// group, children in alphabetical order (<c>backward_layer/cell/vars/0</c> before <c>forward_layer/...</c>,
/// keras/src/saving/saving_lib.py), so a child's weights are found by path prefix. Legacy files list weights in
/// Keras order under variable names (<c>bidi/forward_lstm/lstm_cell/kernel</c>, <c>forward_lstm_1_W_i:0</c>).
/// </remarks>
internal static class NestedLayers
{
    /// <summary>True when <paramref name="weights"/> carry Keras 3 HDF5 paths (<c>vars/0</c>, <c>cell/vars/0</c>).</summary>
    public static bool IsKeras3Layout(IReadOnlyList<WeightArray> weights) =>
        weights.Count > 0 && weights.All(w => w.Name.StartsWith("vars/", StringComparison.Ordinal) || w.Name.Contains("/vars/", StringComparison.Ordinal));

    /// <summary>
    /// The weights of child group <paramref name="group"/> (e.g. <c>cell</c>), renamed relative to it, when the
    /// weights use the Keras 3 layout; otherwise all of <paramref name="weights"/>, unchanged.
    /// </summary>
    public static IReadOnlyList<WeightArray> Child(IReadOnlyList<WeightArray> weights, string group)
    {
        if (!IsKeras3Layout(weights)) return weights;
        var prefix = group + "/";
        return weights.Where(w => w.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(w => w with { Name = w.Name[prefix.Length..] }).ToList();
    }

    /// <summary>
    /// Builds the layer <paramref name="serialized"/> describes (<c>{"class_name", "config"}</c>) with the
    /// registry of <paramref name="outer"/>, for calls on <paramref name="inputShapes"/> (see
    /// <see cref="LayerContext.ForInner"/>). <paramref name="adjust"/> may edit a copy of its config first.
    /// </summary>
    public static KerasLayer Create(LayerContext outer, JsonNode? serialized, string role, IReadOnlyList<WeightArray> weights,
        IReadOnlyList<long[]>? inputShapes, Action<JsonObject>? adjust = null)
    {
        if (serialized is not JsonObject { } entry || (string?)entry["class_name"] is not { } className)
            throw new KerasPortException($"layer '{outer.Name}' ({outer.ClassName}): config '{role}' is not a serialized layer");
        var config = entry["config"] is JsonObject c ? (JsonObject)c.DeepClone() : [];
        adjust?.Invoke(config);
        var description = new LayerDescription
        {
            Name = (string?)config["name"] ?? $"{outer.Name}/{role}",
            ClassName = className,
            Config = config,
            Weights = weights,
            Module = (string?)entry["module"],
        };
        return outer.Registry.Create(outer.ForInner(description, inputShapes));
    }
}
