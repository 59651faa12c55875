using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using KerasPort.Converters.Onnx.Proto;

namespace KerasPort.Converters.Onnx;

/// <summary>The element types KerasPort's ONNX graphs use (values of ONNX's <c>TensorProto.DataType</c>).</summary>
internal enum OnnxType
{
    /// <summary>float32.</summary>
    Float = 1,
    /// <summary>int8 (quantized kernels).</summary>
    Int8 = 3,
    /// <summary>int32.</summary>
    Int32 = 6,
    /// <summary>int64.</summary>
    Int64 = 7,
    /// <summary>bool.</summary>
    Bool = 9,
}

/// <summary>A tensor of the graph being built: its ONNX name, element type and shape (-1 for a size known only at run time).</summary>
internal sealed record OnnxValue(string Name, OnnxType Type, long[] Shape)
{
    /// <summary>Number of axes.</summary>
    public int Rank => Shape.Length;

    /// <summary>Size of <paramref name="axis"/> (negative counts from the end), -1 if unknown.</summary>
    public long Dim(int axis) => Shape[axis < 0 ? axis + Rank : axis];

    /// <summary>Makes a possibly negative axis non-negative.</summary>
    public int Axis(int axis) => axis < 0 ? axis + Rank : axis;
}

/// <summary>
/// Builds one ONNX graph: inputs, outputs, initializers and nodes, with the static shape of every value it creates
/// (-1 where a size is only known at run time, as the batch). Each operator helper infers its output shape the
/// way ONNX defines the operator, so that lowerings can decide on ranks and sizes (TF 'same' pads, reshapes).
/// </summary>
internal sealed class OnnxGraph
{
    readonly GraphProto graph = new();
    readonly HashSet<string> names = new(StringComparer.Ordinal);
    readonly Dictionary<string, OnnxValue> constants = new(StringComparer.Ordinal);
    readonly Dictionary<object, OnnxValue> weights = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates an empty graph named <paramref name="name"/> for operator set <paramref name="opset"/>.</summary>
    public OnnxGraph(string name, int opset)
    {
        graph.Name = name;
        Opset = opset;
    }

    /// <summary>The default-domain operator set the nodes follow.</summary>
    public int Opset { get; }

    /// <summary>Prefix of the names of nodes and values made next (the Keras layer being lowered).</summary>
    public string Scope { get; set; } = "";

    /// <summary>The graph built so far.</summary>
    public GraphProto Proto => graph;

    /// <summary>A unique value name from <paramref name="hint"/>.</summary>
    public string Fresh(string hint)
    {
        var baseName = hint.Length == 0 ? "v" : hint;
        var name = baseName;
        for (int i = 1; !names.Add(name); i++) name = $"{baseName}_{i}";
        return name;
    }

    /// <summary>Declares a graph input.</summary>
    public OnnxValue Input(string name, OnnxType type, long[] shape)
    {
        var value = new OnnxValue(Fresh(name), type, shape);
        graph.Input.Add(ValueInfo(value.Name, type, shape, "in_" + value.Name));
        return value;
    }

    /// <summary>Declares <paramref name="value"/> a graph output called <paramref name="name"/> (through an Identity node when it has another name).</summary>
    public void Output(string name, OnnxValue value)
    {
        if (value.Name != name || graph.Output.Any(o => o.Name == name) || graph.Input.Any(i => i.Name == name))
        {
            if (!names.Add(name)) throw new KerasPortException($"ONNX export: output name '{name}' is already taken");
            graph.Node.Add(NewNode("Identity", [value.Name], [name], []));
        }
        graph.Output.Add(ValueInfo(name, value.Type, value.Shape, "out_" + name));
    }

    static ValueInfoProto ValueInfo(string name, OnnxType type, long[] shape, string symbolPrefix)
    {
        var tensorShape = new TensorShapeProto();
        for (int i = 0; i < shape.Length; i++)
            tensorShape.Dim.Add(shape[i] >= 0
                ? new TensorShapeProto.Types.Dimension { DimValue = shape[i] }
                : new TensorShapeProto.Types.Dimension { DimParam = i == 0 ? "batch" : $"{symbolPrefix}_{i}" });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = tensorShape } },
        };
    }

    /// <summary>
    /// A float32 initializer holding <paramref name="data"/>. The same <paramref name="source"/> object (a weight array
    /// of the description) always gives the same initializer, so shared layers share their weights.
    /// </summary>
    public OnnxValue Weight(string hint, float[] data, long[] shape, object? source = null)
    {
        if (source is not null && weights.TryGetValue(source, out var known) && known.Type == OnnxType.Float && known.Shape.SequenceEqual(shape)) return known;
        var value = Initializer(hint, OnnxType.Float, shape, MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
        if (source is not null) weights[source] = value;
        return value;
    }

    /// <summary>
    /// An int8 initializer holding <paramref name="data"/> (a quantized kernel, one byte per value), shared per
    /// <paramref name="source"/> as <see cref="Weight"/> is.
    /// </summary>
    public OnnxValue Int8Weight(string hint, sbyte[] data, long[] shape, object? source = null)
    {
        if (source is not null && weights.TryGetValue(source, out var known) && known.Type == OnnxType.Int8 && known.Shape.SequenceEqual(shape)) return known;
        var value = Initializer(hint, OnnxType.Int8, shape, MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
        if (source is not null) weights[source] = value;
        return value;
    }

    /// <summary>A float32 constant (made once per distinct value and shape).</summary>
    public OnnxValue Floats(float[] data, params long[] shape) =>
        Cached("f", shape, string.Join(",", data.Select(d => BitConverter.SingleToInt32Bits(d).ToString(CultureInfo.InvariantCulture))),
            () => Initializer("const", OnnxType.Float, shape, MemoryMarshal.AsBytes(data.AsSpan()).ToArray()));

    /// <summary>A float32 scalar constant.</summary>
    public OnnxValue Scalar(double value) => Floats([(float)value]);

    /// <summary>A 1-D int64 constant (shapes, axes, pads).</summary>
    public OnnxValue Longs(params long[] data) => LongTensor(data, data.Length);

    /// <summary>An int64 constant of any shape.</summary>
    public OnnxValue LongTensor(long[] data, params long[] shape) =>
        Cached("i", shape, string.Join(",", data), () => Initializer("const", OnnxType.Int64, shape, MemoryMarshal.AsBytes(data.AsSpan()).ToArray()));

    /// <summary>A scalar constant of <paramref name="type"/>.</summary>
    public OnnxValue ScalarOf(OnnxType type, double value) => type switch
    {
        OnnxType.Float => Scalar(value),
        OnnxType.Int64 => LongTensor([(long)value]),
        OnnxType.Int32 => Cached("i32", [], ((int)value).ToString(CultureInfo.InvariantCulture),
            () => Initializer("const", OnnxType.Int32, [], BitConverter.GetBytes((int)value))),
        _ => Bools([value != 0]),
    };

    /// <summary>A bool constant.</summary>
    public OnnxValue Bools(bool[] data, params long[] shape) =>
        Cached("b", shape, string.Concat(data.Select(b => b ? '1' : '0')),
            () => Initializer("const", OnnxType.Bool, shape, data.Select(b => (byte)(b ? 1 : 0)).ToArray()));

    OnnxValue Cached(string kind, long[] shape, string content, Func<OnnxValue> make)
    {
        var key = $"{kind}[{string.Join(",", shape)}]{content}";
        if (!constants.TryGetValue(key, out var value)) constants[key] = value = make();
        return value;
    }

    OnnxValue Initializer(string hint, OnnxType type, long[] shape, byte[] raw)
    {
        var value = new OnnxValue(Fresh(Prefixed(hint)), type, shape);
        var tensor = new TensorProto { Name = value.Name, DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.AddRange(shape);
        graph.Initializer.Add(tensor);
        return value;
    }

    string Prefixed(string hint) => Scope.Length == 0 ? hint : $"{Scope}/{hint}";

    /// <summary>Adds a node with one output of <paramref name="type"/> and <paramref name="shape"/>.</summary>
    public OnnxValue Node(string op, IReadOnlyList<OnnxValue?> inputs, OnnxType type, long[] shape, params AttributeProto[] attributes) =>
        Node(op, inputs, [(type, shape)], attributes)[0];

    /// <summary>Adds a node with several outputs; a null input is an omitted optional input.</summary>
    public OnnxValue[] Node(string op, IReadOnlyList<OnnxValue?> inputs, IReadOnlyList<(OnnxType Type, long[] Shape)> outputs, params AttributeProto[] attributes)
    {
        var values = outputs.Select(o => new OnnxValue(Fresh(Prefixed(op)), o.Type, o.Shape)).ToArray();
        // Omitted optional inputs are empty names; trailing ones are left out altogether.
        int count = inputs.Count;
        while (count > 0 && inputs[count - 1] is null) count--;
        graph.Node.Add(NewNode(op, inputs.Take(count).Select(i => i?.Name ?? "").ToList(), values.Select(v => v.Name).ToList(), attributes));
        return values;
    }

    NodeProto NewNode(string op, IEnumerable<string> inputs, IEnumerable<string> outputs, IEnumerable<AttributeProto> attributes)
    {
        var node = new NodeProto { OpType = op, Name = Fresh("node:" + Prefixed(op)) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return node;
    }
}

/// <summary>Builders of ONNX node attributes.</summary>
internal static class Attr
{
    /// <summary>An integer attribute.</summary>
    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A float attribute.</summary>
    public static AttributeProto Float(string name, double value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = (float)value };

    /// <summary>A string attribute.</summary>
    public static AttributeProto String(string name, string value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>An integer list attribute.</summary>
    public static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>A float list attribute.</summary>
    public static AttributeProto Floats(string name, IEnumerable<double> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        attribute.Floats.AddRange(values.Select(v => (float)v));
        return attribute;
    }

    /// <summary>A string list attribute.</summary>
    public static AttributeProto Strings(string name, IEnumerable<string> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return attribute;
    }
}
