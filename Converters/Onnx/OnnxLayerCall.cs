namespace KerasPort.Converters.Onnx;

/// <summary>What a lowering produces for one layer call: its output values and the mask they carry (Keras's <c>_keras_mask</c>).</summary>
internal sealed record OnnxLowered(IReadOnlyList<OnnxValue> Outputs, OnnxValue? Mask);

/// <summary>Lowers one Keras layer call to ONNX nodes.</summary>
internal delegate OnnxLowered OnnxLowering(OnnxLayerCall call);

/// <summary>
/// One call of a Keras layer being lowered to ONNX: the layer's description and typed config, its weights (checked
/// against the shapes the lowering expects), the call's arguments as graph values and JSON constants, and the masks
/// the inputs carry. Mirrors the runtime's <c>LayerContext</c> and <c>CallArguments</c>, so each lowering reads like
/// the runtime layer it reproduces (Runtime/Layers, the reference semantics). Config values and weight checks are
/// read as the runtime reads them (<see cref="LayerReader"/>).
/// </summary>
internal sealed class OnnxLayerCall : LayerReader
{
    readonly IReadOnlyDictionary<string, OnnxValue> inputMasks;

    /// <summary>Creates a call.</summary>
    public OnnxLayerCall(OnnxGraph graph, LayerDescription layer, int kerasMajor, IReadOnlyList<object?> args,
        IReadOnlyDictionary<string, object?> kwargs, OnnxValue? mask, IReadOnlyDictionary<string, OnnxValue> inputMasks) : base(layer)
    {
        Graph = graph;
        KerasMajor = kerasMajor;
        Args = args;
        Kwargs = kwargs;
        Mask = kwargs.TryGetValue("mask", out var explicitMask) && explicitMask is OnnxValue m ? m : mask;
        this.inputMasks = inputMasks;
    }

    /// <summary>The graph the nodes go into.</summary>
    public OnnxGraph Graph { get; }

    /// <inheritdoc />
    public override int KerasMajor { get; }

    /// <summary>Positional arguments: <see cref="OnnxValue"/>s, JSON constants, or lists of them.</summary>
    public IReadOnlyList<object?> Args { get; }

    /// <summary>Keyword arguments, resolved like <see cref="Args"/>.</summary>
    public IReadOnlyDictionary<string, object?> Kwargs { get; }

    /// <summary>The explicit <c>mask=</c> argument, else the mask propagated from the single input.</summary>
    public OnnxValue? Mask { get; }

    /// <summary>The mask the producer of <paramref name="input"/> attached to it, or null.</summary>
    public OnnxValue? MaskOf(OnnxValue input) => inputMasks.GetValueOrDefault(input.Name);

    /// <summary>All tensors among the positional arguments, flattened in order.</summary>
    public IReadOnlyList<OnnxValue> Inputs => Flatten(Args).ToList();

    /// <summary>The single input of a one-input layer.</summary>
    public OnnxValue Input => Args is [OnnxValue single] ? single : Inputs.Count > 0 ? Inputs[0]
        : throw new KerasPortException($"layer '{Name}' ({ClassName}) is called without a tensor input");

    static IEnumerable<OnnxValue> Flatten(IEnumerable<object?> values)
    {
        foreach (var value in values)
        {
            if (value is OnnxValue v) yield return v;
            else if (value is IReadOnlyList<object?> list) foreach (var inner in Flatten(list)) yield return inner;
        }
    }

    /// <summary>The outputs, carrying the call's mask on (Keras layers with <c>supports_masking</c>).</summary>
    public OnnxLowered Pass(params OnnxValue[] outputs) => new(outputs, Mask);

    /// <summary>The outputs, carrying no mask.</summary>
    public static OnnxLowered Drop(params OnnxValue[] outputs) => new(outputs, null);

    /// <summary>An error naming the layer and class for an option that cannot be expressed exactly in ONNX.</summary>
    public UnsupportedLayerException Unsupported(string detail) => new(ClassName, Name, $"cannot be exported to ONNX exactly: {detail}");

    /// <summary>Fails when the call carries a mask that the lowering would otherwise ignore while Keras uses it.</summary>
    public void RefuseMask(string what)
    {
        if (Mask is not null) throw Unsupported($"{what} with an input mask");
    }

    /// <summary>Applies the activation named <paramref name="name"/> (a spec's activation).</summary>
    public OnnxValue ApplyActivation(string name, OnnxValue x) => OnnxActivations.Apply(this, name, x);

    // ---- weights ----

    /// <summary>Weight <paramref name="index"/> as float32 data, checked against <paramref name="expectedShape"/> (-1 matches any size).</summary>
    public (float[] Data, long[] Shape) WeightData(int index, string role, params long[] expectedShape)
    {
        var weight = CheckedWeight(index, role, expectedShape);
        return (weight.Value.ToFloats(), weight.Value.Shape);
    }

    /// <summary>Weight <paramref name="index"/> as an initializer, checked like <see cref="WeightData"/>.</summary>
    public OnnxValue Weight(int index, string role, params long[] expectedShape)
    {
        var (data, shape) = WeightData(index, role, expectedShape);
        return Graph.Weight(role, data, shape, Weights[index].Value);
    }

    /// <summary>
    /// The int8 values of weight <paramref name="index"/> (a quantized kernel as Keras wrote it), checked like
    /// <see cref="WeightData"/>; a weight of another type must hold integers in int8's range.
    /// </summary>
    public sbyte[] Int8Data(int index, string role, params long[] expectedShape)
    {
        var weight = CheckedWeight(index, role, expectedShape);
        if (weight.Value.Data is sbyte[] bytes) return bytes;
        var values = weight.Value.ToDoubles();
        if (values.Any(v => v != Math.Round(v) || v < sbyte.MinValue || v > sbyte.MaxValue))
            throw new WeightMismatchException(Name, weight.Name, $"'{role}' must hold int8 values, the file has {weight.Value.DType} values outside them");
        return Array.ConvertAll(values, v => (sbyte)v);
    }

    /// <summary>Weight <paramref name="index"/> as an int8 initializer, checked like <see cref="Int8Data"/>.</summary>
    public OnnxValue Int8Weight(int index, string role, params long[] expectedShape) =>
        Graph.Int8Weight(role, Int8Data(index, role, expectedShape), Weights[index].Value.Shape, Weights[index].Value);

    /// <summary>An initializer made from weights by the lowering (reordered gates, folded statistics).</summary>
    public OnnxValue Derived(string role, float[] data, params long[] shape) => Graph.Weight(role, data, shape);

    /// <summary>
    /// A call of an inner layer (a wrapper's layer, an RNN's cell) described by <paramref name="inner"/>, in the same
    /// graph and generation.
    /// </summary>
    public OnnxLayerCall Inner(LayerDescription inner, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs, OnnxValue? mask) =>
        new(Graph, inner, KerasMajor, args, kwargs, mask, inputMasks);
}
