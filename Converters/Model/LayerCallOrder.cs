namespace KerasPort.Converters.Model;

/// <summary>The order in which a model's layer calls run: the graph executor's and every writer's.</summary>
internal static class LayerCallOrder
{
    /// <summary>
    /// The layer calls of <paramref name="model"/> (layer, inbound node index), each after the calls producing its
    /// inputs, in <see cref="ModelDescription.Layers"/> order where several are ready. Fails with a typed error on
    /// duplicate layer names, references to unknown layers, and cycles or missing nodes.
    /// </summary>
    public static List<(LayerDescription Layer, int Node)> Of(ModelDescription model)
    {
        if (model.Layers.GroupBy(l => l.Name).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            throw new KerasPortException($"model '{model.Name}': {duplicate.Count()} layers are named '{duplicate.Key}'; layer names must be unique");
        var byName = model.Layers.ToDictionary(l => l.Name);
        var pending = model.Layers.SelectMany(l => l.InboundNodes.Select((_, i) => (Layer: l, Node: i))).ToList();
        var done = model.Layers.Where(l => l.InboundNodes.Count == 0).Select(l => (l.Name, 0)).ToHashSet();
        foreach (var (layer, node) in pending)
            foreach (var tensor in layer.InboundNodes[node].Tensors)
                if (!byName.ContainsKey(tensor.Layer))
                    throw new KerasPortException($"model '{model.Name}': layer '{layer.Name}' reads from unknown layer '{tensor.Layer}'");
        var order = new List<(LayerDescription, int)>();
        while (pending.Count > 0)
        {
            var ready = pending.Where(p => p.Layer.InboundNodes[p.Node].Tensors.All(t => done.Contains((t.Layer, t.NodeIndex)))).ToList();
            if (ready.Count == 0)
                throw new KerasPortException($"model '{model.Name}': layer '{pending[0].Layer.Name}' waits on an input no layer produces (cycle or missing node)");
            foreach (var call in ready)
            {
                order.Add(call);
                done.Add((call.Layer.Name, call.Node));
                pending.Remove(call);
            }
        }
        return order;
    }
}
