namespace KerasPort.Runtime.Graph;

/// <summary>
/// A Keras 3 quirk that the graph walks mirror: <c>MultiHeadAttention.call</c> removes the Keras mask from its query,
/// value and key tensors (keras/src/layers/attention/multi_head_attention.py lines 628-631,
/// <c>backend.set_keras_mask(query, None)</c> ...). Tensors are shared objects, so every call that reads one of them
/// later in Keras's execution order sees it unmasked (a residual <c>Add([x, mha(x, x)])</c> gets no mask from
/// <c>x</c>). Layers that are the identity at inference return their input object, so they share its mask too.
/// "Later" is Keras's order: keras/src/ops/function.py <c>_run_through_graph</c> runs nodes by decreasing depth,
/// in the order <c>map_graph</c> and <c>_build_map</c> give them within a depth.
/// </summary>
internal sealed class KerasMaskClearing
{
    readonly HashSet<(string Layer, int Node, TensorRef Tensor)> hidden;

    KerasMaskClearing(HashSet<(string, int, TensorRef)> hidden) => this.hidden = hidden;

    /// <summary>Nothing is hidden (files from Keras 1 and 2, models without MultiHeadAttention).</summary>
    public static readonly KerasMaskClearing None = new([]);

    /// <summary>
    /// The mask clearing of <paramref name="model"/>'s MultiHeadAttention calls; <paramref name="isIdentity"/> says
    /// which layers return their input tensor object at inference.
    /// </summary>
    public static KerasMaskClearing Of(ModelDescription model, Func<string, bool> isIdentity)
    {
        if (model.KerasMajorVersion < 3 || !model.Layers.Any(l => l.ClassName == "MultiHeadAttention")) return None;
        var byName = model.Layers.ToDictionary(l => l.Name);
        TensorRef ObjectOf(TensorRef t)
        {
            while (t.TensorIndex == 0 && isIdentity(t.Layer) && byName.TryGetValue(t.Layer, out var layer)
                   && t.NodeIndex < layer.InboundNodes.Count && layer.InboundNodes[t.NodeIndex].Args is [TensorArgument { Tensor: var input }])
                t = input;
            return t;
        }
        var order = KerasRunOrder(model, byName);
        var position = order.Select((node, i) => (node, i)).ToDictionary(p => p.node, p => p.i);
        var hidden = new HashSet<(string, int, TensorRef)>();
        foreach (var (name, node) in order.Where(n => byName[n.Layer].ClassName == "MultiHeadAttention" && byName[n.Layer].InboundNodes.Count > n.Node))
        {
            var inbound = byName[name].InboundNodes[node];
            var cleared = inbound.Args.Take(3).SelectMany(a => a.Tensors)
                .Concat(new[] { "query", "value", "key" }.SelectMany(k => inbound.Kwargs.GetValueOrDefault(k)?.Tensors ?? []))
                .Select(ObjectOf).ToHashSet();
            foreach (var (reader, _) in position.Where(p => p.Value > position[(name, node)] && byName[p.Key.Layer].InboundNodes.Count > p.Key.Node))
                foreach (var t in byName[reader.Layer].InboundNodes[reader.Node].Tensors)
                    if (cleared.Contains(ObjectOf(t))) hidden.Add((reader.Layer, reader.Node, t));
        }
        return new(hidden);
    }

    /// <summary>Whether call <paramref name="node"/> of <paramref name="layer"/> sees <paramref name="tensor"/> without its mask.</summary>
    public bool Hides(string layer, int node, TensorRef tensor) => hidden.Count > 0 && hidden.Contains((layer, node, tensor));

    /// <summary>The calls in Keras's execution order (function.py <c>map_graph</c>, <c>_build_map</c>).</summary>
    static List<(string Layer, int Node)> KerasRunOrder(ModelDescription model, Dictionary<string, LayerDescription> byName)
    {
        // node.input_tensors flattens (args, kwargs) with the keyword names sorted, as keras.tree does.
        IEnumerable<TensorRef> InputsOf((string Layer, int Node) n) =>
            byName[n.Layer].InboundNodes is { } nodes && n.Node >= 0 && n.Node < nodes.Count
                ? nodes[n.Node].Args.SelectMany(a => a.Tensors)
                    .Concat(nodes[n.Node].Kwargs.OrderBy(kv => kv.Key, StringComparer.Ordinal).SelectMany(kv => kv.Value.Tensors))
                : [];
        // Depth-first post-order from the outputs, with an explicit stack: a hostile file's graph may be deeper than
        // the thread's stack (each call is pushed once, marked on entry, so cycles end too).
        var finished = new HashSet<(string, int)>();
        var decreasingDepth = new List<(string Layer, int Node)>();
        var pending = new Stack<((string Layer, int Node) Call, IEnumerator<TensorRef> Inputs)>();
        void Enter((string Layer, int Node) n)
        {
            // Unknown layers and nodes (a damaged file) are left out: LayerCallOrder and the calls report them.
            if (!byName.TryGetValue(n.Layer, out var layer) || n.Node < 0 || (layer.InboundNodes.Count > 0 && n.Node >= layer.InboundNodes.Count)
                || !finished.Add(n)) return;
            pending.Push((n, InputsOf(n).GetEnumerator()));
        }
        foreach (var output in model.Outputs)
        {
            Enter((output.Layer, output.NodeIndex));
            while (pending.TryPeek(out var top))
            {
                if (top.Inputs.MoveNext()) Enter((top.Inputs.Current.Layer, top.Inputs.Current.NodeIndex));
                else
                {
                    pending.Pop().Inputs.Dispose();
                    decreasingDepth.Add(top.Call);
                }
            }
        }

        // Python dicts keep insertion order: nodesDepths lists nodes in the order they were first given a depth.
        var depths = new Dictionary<(string, int), int>();
        var insertion = new List<(string Layer, int Node)>();
        var layerDepths = new Dictionary<string, int>();
        void SetDepth((string, int) n, int depth)
        {
            if (!depths.ContainsKey(n)) insertion.Add(n);
            depths[n] = depth;
        }
        var inGraph = decreasingDepth.ToHashSet();
        for (int i = decreasingDepth.Count - 1; i >= 0; i--)
        {
            var n = decreasingDepth[i];
            if (!depths.TryGetValue(n, out int depth)) SetDepth(n, depth = 0);
            depth = Math.Max(depth, layerDepths.GetValueOrDefault(n.Layer));
            layerDepths[n.Layer] = depth;
            SetDepth(n, depth);
            foreach (var t in InputsOf(n))
                if (inGraph.Contains((t.Layer, t.NodeIndex)))
                    SetDepth((t.Layer, t.NodeIndex), Math.Max(depth + 1, depths.GetValueOrDefault((t.Layer, t.NodeIndex))));
        }
        return insertion.Select((n, i) => (n, i)).OrderByDescending(p => depths[p.n]).ThenBy(p => p.i).Select(p => p.n).ToList();
    }
}
