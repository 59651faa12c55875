namespace KerasPort.Converters.Model;

/// <summary>
/// The one interpretation of a <see cref="ModelDescription"/>'s graph that every executor shares (the runtime's
/// <c>ModelGraph</c> and <c>InferencePlan</c>, the ONNX writer): each model input and each layer call (a shared layer
/// once per inbound node, <see cref="LayerCallOrder"/>) gets a slot for its outputs, and every call's arguments are
/// resolved to slots once. A pass keeps its values in a <see cref="GraphValues{T}"/>; nested models are walked by the
/// executor, with a walk of their own. Immutable, so any number of passes may run at once.
/// </summary>
internal sealed class GraphWalk
{
    readonly string? notAnInput;

    /// <summary>
    /// Walks <paramref name="model"/>. <paramref name="isIdentity"/> names the calls that hand their single tensor
    /// argument on unchanged (their readers read that tensor instead, and the call is left out of <see cref="Calls"/>);
    /// <paramref name="hidesMask"/> says which tensors a call reads without the Keras mask their producer attached.
    /// </summary>
    public GraphWalk(ModelDescription model, Func<LayerDescription, bool>? isIdentity = null, Func<string, int, TensorRef, bool>? hidesMask = null)
    {
        Model = model;
        var order = LayerCallOrder.Of(model);
        var slots = new Dictionary<(string, int), int>();
        foreach (var input in model.Inputs) slots.TryAdd((input.Layer, 0), slots.Count);
        foreach (var (layer, node) in order) slots[(layer.Name, node)] = slots.Count;
        SlotCount = slots.Count;
        Inputs = model.Inputs.Select(i => new SlotRef(slots[(i.Layer, 0)], 0, i, null)).ToArray();
        notAnInput = model.Layers.FirstOrDefault(l => l.InboundNodes.Count == 0 && !model.Inputs.Any(i => i.Layer == l.Name)) is { } stray
            ? $"model '{model.Name}': input layer '{stray.Name}' is not a model input" : null;

        var forwarded = new Dictionary<(string, int), TensorRef>();
        if (isIdentity is not null)
            foreach (var (layer, node) in order)
                if (layer.InboundNodes[node] is { Args: [TensorArgument { Tensor: var input }] } inbound && !WalkCall.TakesTensorKeywords(inbound) && isIdentity(layer))
                    forwarded[(layer.Name, node)] = input;
        SlotRef Ref(TensorRef t, string? reader)
        {
            while (t.TensorIndex == 0 && forwarded.TryGetValue((t.Layer, t.NodeIndex), out var input)) t = input;
            return new(slots.TryGetValue((t.Layer, t.NodeIndex), out int slot) ? slot : -1, t.TensorIndex, t, reader);
        }
        Calls = order.Where(c => !forwarded.ContainsKey((c.Layer.Name, c.Node)))
            .Select(c => new WalkCall(c.Layer, c.Node, slots[(c.Layer.Name, c.Node)], t => Ref(t, c.Layer.Name),
                hidesMask is null ? null : t => hidesMask(c.Layer.Name, c.Node, t)))
            .ToArray();
        Outputs = model.Outputs.Select(o => Ref(o, null)).ToArray();
    }

    /// <summary>The model walked.</summary>
    public ModelDescription Model { get; }

    /// <summary>How many slots a pass holds: one per distinct model input and one per layer call.</summary>
    public int SlotCount { get; }

    /// <summary>The model's inputs, in model-input order.</summary>
    public IReadOnlyList<SlotRef> Inputs { get; }

    /// <summary>The calls in execution order, identity calls left out.</summary>
    public IReadOnlyList<WalkCall> Calls { get; }

    /// <summary>The model's outputs.</summary>
    public IReadOnlyList<SlotRef> Outputs { get; }

    /// <summary>
    /// A pass with <paramref name="inputs"/> (model-input order), each converted by <paramref name="admit"/> (given its
    /// index) if given, and their Keras masks <paramref name="inputMasks"/>, if any, in place. Fails with a typed error
    /// when the count is wrong or an input layer is not a model input.
    /// </summary>
    public GraphValues<T> Start<T>(IReadOnlyList<T> inputs, IReadOnlyList<T?>? inputMasks = null, Func<int, T, T>? admit = null) where T : class
    {
        if (inputs.Count != Inputs.Count)
            throw new KerasPortException($"model '{Model.Name}' takes {Inputs.Count} inputs, got {inputs.Count}");
        if (notAnInput is not null) throw new KerasPortException(notAnInput);
        var values = new GraphValues<T>(Model.Name, SlotCount);
        for (int i = 0; i < inputs.Count; i++)
        {
            values.Set(Inputs[i].Slot, [admit is null ? inputs[i] : admit(i, inputs[i])]);
            if (inputMasks?[i] is { } mask) values.SetMask(Inputs[i].Slot, mask, 1);
        }
        return values;
    }

    /// <summary>
    /// Runs a whole pass (<see cref="Start"/>): <paramref name="step"/> runs each call (reading its arguments from, and
    /// recording its outputs in, the pass's values), then the model's outputs are returned.
    /// </summary>
    public T[] Run<T>(IReadOnlyList<T> inputs, IReadOnlyList<T?>? inputMasks, Action<WalkCall, GraphValues<T>> step) where T : class
    {
        var values = Start(inputs, inputMasks);
        foreach (var call in Calls) step(call, values);
        return values.ModelOutputs(Outputs);
    }
}

/// <summary>
/// Output <see cref="Index"/> of the call whose outputs fill slot <see cref="Slot"/> (-1: no call produces it), as
/// <see cref="Tensor"/> names it; <see cref="Reader"/> is the layer that reads it, null for a model output.
/// </summary>
internal readonly record struct SlotRef(int Slot, int Index, TensorRef Tensor, string? Reader);
