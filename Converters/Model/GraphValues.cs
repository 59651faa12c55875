namespace KerasPort.Converters.Model;

/// <summary>
/// The values of one pass through a <see cref="GraphWalk"/>: each slot's outputs and the Keras mask attached to them
/// (<c>_keras_mask</c>). <typeparamref name="T"/> is what the executor computes with (a tensor, an ONNX value).
/// </summary>
internal sealed class GraphValues<T> where T : class
{
    readonly string model;
    readonly T[]?[] values;
    // The slots holding values, so that checking whether a value is still held does not scan every slot.
    readonly List<int> live = [];
    T?[]? masks;
    // How many of each slot's outputs carry its mask.
    int[]? maskedOutputs;

    internal GraphValues(string model, int slotCount)
    {
        this.model = model;
        values = new T[]?[slotCount];
    }

    /// <summary>Records the outputs of the call (or model input) of <paramref name="slot"/>.</summary>
    public void Set(int slot, T[] outputs)
    {
        if (values[slot] is null) live.Add(slot);
        values[slot] = outputs;
    }

    /// <summary>Attaches <paramref name="mask"/> to the first <paramref name="outputs"/> outputs of <paramref name="slot"/>.</summary>
    public void SetMask(int slot, T mask, int outputs)
    {
        (masks ??= new T?[values.Length])[slot] = mask;
        (maskedOutputs ??= new int[values.Length])[slot] = outputs;
    }

    /// <summary>Whether any mask was attached so far in this pass.</summary>
    public bool HasMasks => masks is not null;

    /// <summary>Whether a mask is attached to outputs of <paramref name="slot"/>.</summary>
    public bool HasMask(int slot) => masks is not null && masks[slot] is not null;

    /// <summary>The value <paramref name="reference"/> names; a typed error when no call produced it.</summary>
    public T Output(SlotRef reference) =>
        reference.Slot >= 0 && values[reference.Slot] is { } outputs && reference.Index >= 0 && reference.Index < outputs.Length
            ? outputs[reference.Index]
            : throw new TensorNeverProducedException(model, reference.Reader, reference.Tensor);

    /// <summary>The mask attached to the value <paramref name="reference"/> names, or null.</summary>
    public T? MaskOf(SlotRef reference) =>
        masks is null || reference.Slot < 0 || reference.Index >= maskedOutputs![reference.Slot] ? null : masks[reference.Slot];

    /// <summary>The model's outputs.</summary>
    public T[] ModelOutputs(IReadOnlyList<SlotRef> outputs)
    {
        var results = new T[outputs.Count];
        for (int i = 0; i < results.Length; i++) results[i] = Output(outputs[i]);
        return results;
    }

    /// <summary>
    /// An argument's value in this pass: a <typeparamref name="T"/>, a JSON constant (or null), or an
    /// <c>IReadOnlyList&lt;object?&gt;</c> of them.
    /// </summary>
    public object? Resolve(CallArgument argument) => argument switch
    {
        SlotArgument s => Output(s.Reference),
        ConstantValue c => c.Value,
        ArgumentList l => l.Items.Select(Resolve).ToList(),
        _ => null,
    };

    /// <summary>The positional arguments of <paramref name="call"/>.</summary>
    public object?[] Args(WalkCall call)
    {
        var args = new object?[call.Args.Count];
        for (int i = 0; i < args.Length; i++) args[i] = Resolve(call.Args[i]);
        return args;
    }

    /// <summary>The keyword arguments of <paramref name="call"/>.</summary>
    public IReadOnlyDictionary<string, object?> Kwargs(WalkCall call) =>
        call.Kwargs.Count == 0 ? NoKeywords : call.Kwargs.ToDictionary(kv => kv.Key, kv => Resolve(kv.Value));

    static readonly IReadOnlyDictionary<string, object?> NoKeywords = new Dictionary<string, object?>();

    /// <summary>
    /// The mask Keras passes on to a call of a single input: that input's (Keras 1/2 files rely on this; Keras 3 writes
    /// masks explicitly).
    /// </summary>
    public T? PropagatedMask(WalkCall call) => call.Single is { } single && !call.HidesSingleMask ? MaskOf(single) : null;

    /// <summary>The masks upstream calls attached to the tensors <paramref name="call"/> reads, as (value, mask) pairs.</summary>
    public List<(T Value, T Mask)>? InputMasks(WalkCall call)
    {
        if (masks is null) return null;
        List<(T, T)>? found = null;
        for (int i = 0; i < call.Tensors.Count; i++)
            if (!call.HidesMaskOf(i) && MaskOf(call.Tensors[i]) is { } mask)
                (found ??= []).Add((Output(call.Tensors[i]), mask));
        return found;
    }

    /// <summary>Forgets the outputs of <paramref name="slot"/> and returns them (null when it held none).</summary>
    public T[]? Remove(int slot)
    {
        if (values[slot] is not { } dying) return null;
        values[slot] = null;
        live.Remove(slot);
        return dying;
    }

    /// <summary>Whether a slot's outputs or a mask still hold <paramref name="value"/> (by reference).</summary>
    public bool Holds(T value)
    {
        foreach (int slot in live)
            if (Holds(values[slot]!, value)) return true;
        return masks is not null && Holds(masks, value);
    }

    static bool Holds(T?[] held, T value)
    {
        foreach (var item in held)
            if (ReferenceEquals(item, value)) return true;
        return false;
    }
}
