using KerasPort.Converters;
using KerasPort.Converters.Model;
using KerasPort.Runtime.Layers;
using KerasPort.Runtime.Layers.Core;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Graph;

/// <summary>
/// A model description made runnable: one layer object per described layer (shared layers are called once
/// per inbound node) and a fixed execution order of layer calls. Immutable after construction, so any number
/// of threads may execute it at once.
/// </summary>
public sealed class ModelGraph : IDisposable
{
    readonly Dictionary<string, KerasLayer> layers = new(StringComparer.Ordinal);
    readonly List<(LayerDescription Layer, int Node)> plan;

    /// <summary>Builds every layer with <paramref name="registry"/> and orders the calls.</summary>
    public ModelGraph(ModelDescription description, LayerRegistry registry, Device device)
    {
        Description = description;
        var generation = GenerationOf(description);
        try
        {
            foreach (var layer in description.Layers)
            {
                var context = new LayerContext(layer, generation, device, registry);
                layers[layer.Name] = layer.Nested is { } nested
                    ? new NestedModel(context, new ModelGraph(nested with { KerasVersion = nested.KerasVersion ?? description.KerasVersion }, registry, device))
                    : CreateLayer(registry, context);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
        plan = OrderCalls(description);
        foreach (var input in description.Inputs)
            if (layers.GetValueOrDefault(input.Layer) is not InputLayer)
                throw new KerasPortException($"model '{description.Name}': input '{input.Layer}' is not an InputLayer");
    }

    static KerasLayer CreateLayer(LayerRegistry registry, LayerContext context)
    {
        try { return registry.Create(context); }
        catch (Exception e) when (e is not KerasPortException and not OutOfMemoryException)
        {
            throw new KerasPortException($"layer '{context.Name}' ({context.ClassName}): {e.Message}", e);
        }
    }

    /// <summary>The description the graph was built from.</summary>
    public ModelDescription Description { get; }

    /// <summary>The layer objects, by name.</summary>
    public IReadOnlyDictionary<string, KerasLayer> Layers => layers;

    /// <summary>The input layers, in model-input order.</summary>
    public IReadOnlyList<InputLayer> InputLayers => Description.Inputs.Select(i => (InputLayer)layers[i.Layer]).ToList();

    static KerasGeneration GenerationOf(ModelDescription description) => description.KerasMajorVersion switch
    {
        1 => KerasGeneration.Keras1,
        2 => KerasGeneration.Keras2,
        _ => KerasGeneration.Keras3,
    };

    /// <summary>Orders layer calls so each runs after the calls producing its inputs; reports unknown or cyclic references.</summary>
    static List<(LayerDescription, int)> OrderCalls(ModelDescription description)
    {
        var byName = description.Layers.ToDictionary(l => l.Name);
        var pending = description.Layers.SelectMany(l => l.InboundNodes.Select((_, i) => (Layer: l, Node: i))).ToList();
        var done = description.Layers.Where(l => l.InboundNodes.Count == 0).Select(l => (l.Name, 0)).ToHashSet();
        foreach (var (layer, node) in pending)
            foreach (var tensor in layer.InboundNodes[node].Tensors)
                if (!byName.ContainsKey(tensor.Layer))
                    throw new KerasPortException($"model '{description.Name}': layer '{layer.Name}' reads from unknown layer '{tensor.Layer}'");
        var order = new List<(LayerDescription, int)>();
        while (pending.Count > 0)
        {
            var ready = pending.Where(p => p.Layer.InboundNodes[p.Node].Tensors.All(t => done.Contains((t.Layer, t.NodeIndex)))).ToList();
            if (ready.Count == 0)
                throw new KerasPortException($"model '{description.Name}': layer '{pending[0].Layer.Name}' waits on an input no layer produces (cycle or missing node)");
            foreach (var call in ready)
            {
                order.Add(call);
                done.Add((call.Layer.Name, call.Node));
                pending.Remove(call);
            }
        }
        return order;
    }

    /// <summary>
    /// Runs the graph on <paramref name="inputs"/> (model-input order). With <paramref name="trace"/> set, every
    /// call's outputs are copied into it. Tensors created belong to the caller's dispose scope.
    /// </summary>
    public Tensor[] Execute(IReadOnlyList<Tensor> inputs, List<LayerCallOutput>? trace = null)
    {
        if (inputs.Count != Description.Inputs.Count)
            throw new KerasPortException($"model '{Description.Name}' takes {Description.Inputs.Count} inputs, got {inputs.Count}");
        var values = new Dictionary<(string, int), Tensor[]>();
        var masks = new Dictionary<(string, int, int), Tensor>();
        for (int i = 0; i < inputs.Count; i++)
        {
            var input = Description.Inputs[i];
            values[(input.Layer, 0)] = [CastToDeclared(inputs[i], (InputLayer)layers[input.Layer])];
        }
        foreach (var layer in Description.Layers.Where(l => l.InboundNodes.Count == 0 && !values.ContainsKey((l.Name, 0))))
            throw new KerasPortException($"model '{Description.Name}': input layer '{layer.Name}' is not a model input");
        if (trace is not null)
            foreach (var input in Description.Inputs)
                trace.Add(new LayerCallOutput(input.Layer, 0, values[(input.Layer, 0)].Select(TensorConversions.ToNdArray).ToList(), null));

        foreach (var (description, node) in plan)
        {
            var inbound = description.InboundNodes[node];
            var arguments = new CallArguments(
                inbound.Args.Select(a => Resolve(a, values)).ToList(),
                inbound.Kwargs.ToDictionary(kv => kv.Key, kv => Resolve(kv.Value, values)),
                PropagatedMask(inbound, masks),
                inbound.Args.SelectMany(a => a.Tensors).Select(t => masks.GetValueOrDefault((t.Layer, t.NodeIndex, t.TensorIndex))).ToList());
            var layer = layers[description.Name];
            List<LayerCallOutput>? inner = trace is null || layer is not NestedModel ? null : [];
            Tensor[] outputs;
            try
            {
                outputs = layer is NestedModel nested ? nested.Graph.Execute(arguments.Inputs, inner) : layer.Call(arguments);
            }
            catch (Exception e) when (e is not KerasPortException)
            {
                throw new KerasPortException($"layer '{description.Name}' ({description.ClassName}) failed: {e.Message}", e);
            }
            values[(description.Name, node)] = outputs;
            if (layer.ComputeMask(arguments, arguments.Mask) is { } mask)
                for (int k = 0; k < outputs.Length; k++) masks[(description.Name, node, k)] = mask;
            trace?.Add(new LayerCallOutput(description.Name, node, outputs.Select(TensorConversions.ToNdArray).ToList(),
                inner is null ? null : new ModelTrace(inner, outputs.Select(TensorConversions.ToNdArray).ToList())));
        }
        return Description.Outputs.Select(o => Output(values, o)).ToArray();
    }

    static Tensor Output(Dictionary<(string, int), Tensor[]> values, TensorRef reference) =>
        values.TryGetValue((reference.Layer, reference.NodeIndex), out var outputs) && reference.TensorIndex < outputs.Length
            ? outputs[reference.TensorIndex]
            : throw new KerasPortException($"tensor {reference} was never produced");

    static object? Resolve(NodeArgument argument, Dictionary<(string, int), Tensor[]> values) => argument switch
    {
        TensorArgument t => Output(values, t.Tensor),
        ConstantArgument c => c.Value,
        ListArgument l => l.Items.Select(i => Resolve(i, values)).ToList(),
        _ => null,
    };

    /// <summary>Keras passes a single input's mask on to the next layer (Keras 1/2 files rely on this; Keras 3 writes masks explicitly).</summary>
    static Tensor? PropagatedMask(InboundNode inbound, Dictionary<(string, int, int), Tensor> masks) =>
        inbound.Args is [TensorArgument { Tensor: var t }] ? masks.GetValueOrDefault((t.Layer, t.NodeIndex, t.TensorIndex)) : null;

    /// <summary>Keras converts model inputs to the input layer's dtype.</summary>
    static Tensor CastToDeclared(Tensor input, InputLayer layer) => layer.DTypeName switch
    {
        "float32" when input.dtype != ScalarType.Float32 => input.to_type(ScalarType.Float32),
        "int32" or "int64" when input.is_floating_point() => input.to_type(ScalarType.Int64),
        _ => input,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var layer in layers.Values) layer.Dispose();
        layers.Clear();
    }
}
