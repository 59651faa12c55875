using System.Globalization;
using System.Text.Json.Nodes;
using KerasPort.Converters.Keras;
using KerasPort.Converters.Model;

namespace KerasPort.Converters.Onnx;

/// <summary>What a lowering produces for one layer call: its output values and the mask they carry (Keras's <c>_keras_mask</c>).</summary>
internal sealed record OnnxLowered(IReadOnlyList<OnnxValue> Outputs, OnnxValue? Mask);

/// <summary>Lowers one Keras layer call to ONNX nodes.</summary>
internal delegate OnnxLowered OnnxLowering(OnnxLayerCall call);

/// <summary>
/// One call of a Keras layer being lowered to ONNX: the layer's description and typed config, its weights (checked
/// against the shapes the lowering expects), the call's arguments as graph values and JSON constants, and the masks
/// the inputs carry. Mirrors the runtime's <c>LayerContext</c> and <c>CallArguments</c>, so each lowering reads like
/// the runtime layer it reproduces (Runtime/Layers, the reference semantics).
/// </summary>
internal sealed class OnnxLayerCall
{
    readonly IReadOnlyDictionary<string, OnnxValue> inputMasks;

    /// <summary>Creates a call.</summary>
    public OnnxLayerCall(OnnxGraph graph, LayerDescription layer, int kerasMajor, IReadOnlyList<object?> args,
        IReadOnlyDictionary<string, object?> kwargs, OnnxValue? mask, IReadOnlyDictionary<string, OnnxValue> inputMasks)
    {
        Graph = graph;
        Layer = layer;
        KerasMajor = kerasMajor;
        Args = args;
        Kwargs = kwargs;
        Mask = kwargs.TryGetValue("mask", out var explicitMask) && explicitMask is OnnxValue m ? m : mask;
        this.inputMasks = inputMasks;
    }

    /// <summary>The graph the nodes go into.</summary>
    public OnnxGraph Graph { get; }

    /// <summary>The layer as the file describes it.</summary>
    public LayerDescription Layer { get; }

    /// <summary>Keras major version that wrote the model (1, 2 or 3): decides generation-specific numerics.</summary>
    public int KerasMajor { get; }

    /// <summary>Positional arguments: <see cref="OnnxValue"/>s, JSON constants, or lists of them.</summary>
    public IReadOnlyList<object?> Args { get; }

    /// <summary>Keyword arguments, resolved like <see cref="Args"/>.</summary>
    public IReadOnlyDictionary<string, object?> Kwargs { get; }

    /// <summary>The explicit <c>mask=</c> argument, else the mask propagated from the single input.</summary>
    public OnnxValue? Mask { get; }

    /// <summary>Layer name.</summary>
    public string Name => Layer.Name;

    /// <summary>Keras class name.</summary>
    public string ClassName => Layer.ClassName;

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

    // ---- config ----

    /// <summary>The config object.</summary>
    public JsonObject Config => Layer.Config;

    /// <summary>True if the config has a non-null <paramref name="key"/>.</summary>
    public bool Has(string key) => Config[key] is not null;

    /// <summary>An integer config value.</summary>
    public int Int(string key, int fallback) => Config[key] is JsonValue v ? (int)Number(v, key) : fallback;

    /// <summary>A float config value.</summary>
    public double Double(string key, double fallback) => Config[key] is JsonValue v ? Number(v, key) : fallback;

    /// <summary>A bool config value.</summary>
    public bool Bool(string key, bool fallback) => Config[key] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : fallback;

    /// <summary>A string config value.</summary>
    public string? String(string key, string? fallback = null) => Config[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : fallback;

    /// <summary>An integer list config value (a single integer means a list of one); null if absent.</summary>
    public int[]? Ints(string key) => Config[key] switch
    {
        JsonArray list => list.Select(n => n is null ? -1 : (int)Number((JsonValue)n, key)).ToArray(),
        JsonValue single => [(int)Number(single, key)],
        _ => null,
    };

    /// <summary>A float list config value; null if absent.</summary>
    public double[]? Doubles(string key) => Config[key] switch
    {
        JsonArray list => list.Select(n => Number((JsonValue)n!, key)).ToArray(),
        JsonValue single => [Number(single, key)],
        _ => null,
    };

    /// <summary>The activation named under <paramref name="key"/> (a string or a Keras 3 serialized function); <c>linear</c> when absent.</summary>
    public string ActivationName(string key = "activation") => Config[key] switch
    {
        JsonValue v => (string?)v,
        JsonObject { } o when o["config"] is JsonValue named => (string?)named,
        JsonObject o => (string?)o["config"]?["name"] ?? (string?)o["class_name"],
        _ => null,
    } ?? "linear";

    /// <summary>Applies the activation named under <paramref name="key"/>.</summary>
    public OnnxValue Activate(OnnxValue x, string key = "activation") => OnnxActivations.Apply(this, ActivationName(key), x);

    /// <summary>The dtype the config names, default float32.</summary>
    public string DTypeName => KerasConfigReader.DTypeName(Config["dtype"]) ?? "float32";

    static double Number(JsonValue value, string key)
    {
        if (value.TryGetValue<double>(out var d)) return d;
        if (value.TryGetValue<string>(out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out d)) return d;
        throw new FormatException($"config '{key}' is not a number: {value.ToJsonString()}");
    }

    // ---- weights ----

    /// <summary>The layer's weights in Keras order.</summary>
    public IReadOnlyList<WeightArray> Weights => Layer.Weights;

    /// <summary>Fails with a typed error unless the layer has exactly <paramref name="count"/> weights.</summary>
    public void ExpectWeightCount(int count)
    {
        if (Weights.Count != count)
            throw new WeightMismatchException(Name, Weights.Count > count ? Weights[count].Name : "(missing)",
                $"{ClassName} expects {count} weight arrays, the model has {Weights.Count}");
    }

    /// <summary>Weight <paramref name="index"/> as float32 data, checked against <paramref name="expectedShape"/> (-1 matches any size).</summary>
    public (float[] Data, long[] Shape) WeightData(int index, string role, params long[] expectedShape)
    {
        if (index >= Weights.Count)
            throw new WeightMismatchException(Name, role, $"{ClassName} needs a '{role}' weight (#{index}), the model has {Weights.Count} weight arrays");
        var weight = Weights[index];
        var shape = weight.Value.Shape;
        bool fits = shape.Length == expectedShape.Length && shape.Zip(expectedShape).All(p => p.Second < 0 || p.First == p.Second);
        if (!fits)
            throw new WeightMismatchException(Name, weight.Name,
                $"'{role}' has shape ({string.Join(", ", shape)}), the layer config implies ({string.Join(", ", expectedShape.Select(d => d < 0 ? "?" : d.ToString(CultureInfo.InvariantCulture)))})");
        return (weight.Value.ToFloats(), shape);
    }

    /// <summary>Weight <paramref name="index"/> as an initializer, checked like <see cref="WeightData"/>.</summary>
    public OnnxValue Weight(int index, string role, params long[] expectedShape)
    {
        var (data, shape) = WeightData(index, role, expectedShape);
        return Graph.Weight(role, data, shape, Weights[index].Value);
    }

    /// <summary>An initializer made from weights by the lowering (reordered gates, folded statistics).</summary>
    public OnnxValue Derived(string role, float[] data, params long[] shape) => Graph.Weight(role, data, shape);

    /// <summary>
    /// A call of an inner layer (a wrapper's layer, an RNN's cell) described by <paramref name="inner"/>, in the same
    /// graph and generation.
    /// </summary>
    public OnnxLayerCall Inner(LayerDescription inner, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs, OnnxValue? mask) =>
        new(Graph, inner, KerasMajor, args, kwargs, mask, inputMasks);
}
