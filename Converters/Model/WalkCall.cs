namespace KerasPort.Converters.Model;

/// <summary>One layer call of a <see cref="GraphWalk"/>: its inbound node with every argument resolved to a slot.</summary>
internal sealed class WalkCall
{
    readonly bool[] maskHidden;
    readonly bool singleMaskHidden;

    internal WalkCall(LayerDescription layer, int node, int slot, Func<TensorRef, SlotRef> resolve, Func<TensorRef, bool>? hidesMask)
    {
        Layer = layer;
        Node = node;
        Slot = slot;
        var inbound = layer.InboundNodes[node];
        Args = inbound.Args.Select(a => CallArgument.Of(a, resolve)).ToArray();
        Kwargs = inbound.Kwargs.Select(kv => (kv.Key, CallArgument.Of(kv.Value, resolve))).ToArray();
        Single = inbound.Args is [TensorArgument { Tensor: var t }] ? resolve(t) : null;
        Tensors = inbound.Tensors.Select(resolve).ToArray();
        maskHidden = inbound.Tensors.Select(t => hidesMask?.Invoke(t) ?? false).ToArray();
        singleMaskHidden = inbound.Args is [TensorArgument { Tensor: var only }] && (hidesMask?.Invoke(only) ?? false);
        HasTensorKeywords = TakesTensorKeywords(inbound);
    }

    /// <summary>
    /// Whether a keyword argument of <paramref name="inbound"/> holds a tensor (an explicit mask among them). Keras 3
    /// writes <c>mask: null</c> into BatchNormalization's call, which is no tensor.
    /// </summary>
    public static bool TakesTensorKeywords(InboundNode inbound) => inbound.Kwargs.Values.Any(v => v.Tensors.Any());

    /// <summary>The layer called.</summary>
    public LayerDescription Layer { get; }

    /// <summary>The inbound node of the call (a shared layer is called once per node).</summary>
    public int Node { get; }

    /// <summary>The slot the call's outputs fill.</summary>
    public int Slot { get; }

    /// <summary>The positional arguments.</summary>
    public IReadOnlyList<CallArgument> Args { get; }

    /// <summary>The keyword arguments.</summary>
    public IReadOnlyList<(string Key, CallArgument Value)> Kwargs { get; }

    /// <summary>The only positional argument when it is a single tensor (a one-input layer), else null.</summary>
    public SlotRef? Single { get; }

    /// <summary>Every tensor the call reads, positional first (<see cref="InboundNode.Tensors"/>).</summary>
    public IReadOnlyList<SlotRef> Tensors { get; }

    /// <summary>Whether a keyword argument holds a tensor (an explicit mask among them).</summary>
    public bool HasTensorKeywords { get; }

    /// <summary>The slots the call reads.</summary>
    public IEnumerable<int> Reads => Tensors.Select(t => t.Slot).Where(s => s >= 0);

    /// <summary>Whether the call reads tensor <paramref name="index"/> of <see cref="Tensors"/> without its Keras mask.</summary>
    public bool HidesMaskOf(int index) => maskHidden[index];

    /// <summary>Whether the call reads its <see cref="Single"/> input without its Keras mask.</summary>
    public bool HidesSingleMask => singleMaskHidden;
}

/// <summary>A call argument resolved to slots: a slot's tensor, a constant, or a list of arguments.</summary>
internal abstract record CallArgument
{
    /// <summary>The argument <paramref name="argument"/> with its tensors resolved by <paramref name="resolve"/>.</summary>
    public static CallArgument Of(NodeArgument argument, Func<TensorRef, SlotRef> resolve) => argument switch
    {
        TensorArgument t => new SlotArgument(resolve(t.Tensor)),
        ConstantArgument c => new ConstantValue(c.Value),
        ListArgument l => new ArgumentList(l.Items.Select(i => Of(i, resolve)).ToArray()),
        _ => new ConstantValue(null),
    };
}

/// <summary>A tensor argument.</summary>
internal sealed record SlotArgument(SlotRef Reference) : CallArgument;

/// <summary>A constant argument, kept as JSON.</summary>
internal sealed record ConstantValue(JsonNode? Value) : CallArgument;

/// <summary>A list or tuple of arguments.</summary>
internal sealed record ArgumentList(CallArgument[] Items) : CallArgument;
