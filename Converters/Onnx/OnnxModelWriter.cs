using Google.Protobuf;
using KerasPort.Converters.Onnx.Proto;

namespace KerasPort.Converters.Onnx;

/// <summary>
/// Writes a <see cref="ModelDescription"/> as an ONNX model (opset 17, or 18 where a layer needs it) that computes what
/// Keras computes: inputs and outputs in Keras's layout (channels_last), TF 'same' padding, Keras's gate orders and
/// generation-specific activations. Nested models are flattened into one graph and shared layers share their
/// weights. A layer, or a layer option, that ONNX cannot express exactly stops the export with an
/// <see cref="UnsupportedLayerException"/> naming it; nothing is approximated.
/// </summary>
public static class OnnxModelWriter
{
    /// <summary>The default-domain operator set written unless a layer needs a newer one.</summary>
    public const int Opset = 17;

    /// <summary>Writes <paramref name="model"/> to <paramref name="stream"/> as an ONNX <c>ModelProto</c>.</summary>
    /// <exception cref="UnsupportedLayerException">A layer cannot be expressed exactly in ONNX.</exception>
    /// <exception cref="WeightMismatchException">A layer's weights do not fit its config.</exception>
    public static void Write(ModelDescription model, Stream stream) => Build(model).WriteTo(stream);

    /// <summary>The ONNX model of <paramref name="model"/> as bytes.</summary>
    /// <exception cref="UnsupportedLayerException">A layer cannot be expressed exactly in ONNX.</exception>
    public static byte[] ToBytes(ModelDescription model) => Build(model).ToByteArray();

    /// <summary>
    /// The names the ONNX graph gives the model's inputs (the input layers' names) and outputs (dict keys, else the
    /// producing layer's name, suffixed <c>_i</c> when one layer yields several outputs: KerasPort's output names).
    /// </summary>
    public static (IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs) TensorNames(ModelDescription model) =>
        (model.Inputs.Select(i => i.Layer).ToList(), model.OutputKeys());

    /// <summary>
    /// Keras's text and lookup layers: TensorFlow string and hash-table ops. ONNX's StringNormalizer, Tokenizer and
    /// LabelEncoder differ from them (Unicode case rules, tokenization, FarmHash/SipHash OOV buckets), so none is exact.
    /// </summary>
    static readonly HashSet<string> StringLayers = new(StringComparer.Ordinal) { "TextVectorization", "StringLookup", "IntegerLookup", "Hashing", "HashedCrossing" };

    internal static ModelProto Build(ModelDescription model)
    {
        if (model.Layers.FirstOrDefault(l => StringLayers.Contains(l.ClassName)) is { } text)
            throw new UnsupportedLayerException(text.ClassName, text.Name,
                "cannot be exported to ONNX exactly: it runs TensorFlow string and hash-table ops (tf.strings, tf.lookup) that no ONNX operator reproduces; run the model with KerasPort's runtime, or convert it to .keras, .h5 or TorchSharp");
        int opset = RequiredOpset(model);
        var graph = new OnnxGraph(model.Name, opset);
        var inputs = model.Inputs.Select(reference =>
        {
            var layer = model.Layer(reference.Layer);
            var call = new OnnxLayerCall(graph, layer, model.KerasMajorVersion, [], new Dictionary<string, object?>(), null, new Dictionary<string, OnnxValue>());
            var input = InputLayerSpec.Read(call);
            var shape = input.BatchShape?.Select(d => d > 0 ? (long)d : -1L).ToArray()
                ?? throw new UnsupportedLayerException(layer.ClassName, layer.Name, "cannot be exported to ONNX: the input declares no shape");
            var type = input.DTypeName switch
            {
                "float32" => OnnxType.Float,
                "int32" => OnnxType.Int32,
                "int64" => OnnxType.Int64,
                "bool" => OnnxType.Bool,
                var other => throw call.Unsupported($"input dtype '{other}'"),
            };
            return (graph.Input(layer.Name, type, shape), (OnnxValue?)null);
        }).ToList();
        var outputs = Lower(graph, model, inputs, model.KerasMajorVersion);
        var (_, outputNames) = TensorNames(model);
        for (int i = 0; i < outputs.Length; i++) graph.Output(outputNames[i], outputs[i]);
        var proto = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "KerasPort",
            ProducerVersion = typeof(OnnxModelWriter).Assembly.GetName().Version?.ToString() ?? "0",
            DocString = $"Keras model '{model.Name}' ({model.KerasVersion ?? "unknown Keras version"}) exported by KerasPort",
            Graph = graph.Proto,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return proto;
    }

    /// <summary>18 when a layer needs an operator of opset 18 (antialiased Resize), else <see cref="Opset"/>.</summary>
    static int RequiredOpset(ModelDescription model) =>
        model.Layers.Any(l => (l.Nested is { } nested && RequiredOpset(nested) > Opset)
            || (l.ClassName == "Resizing" && (bool?)l.Config["antialias"] == true)) ? 18 : Opset;

    /// <summary>
    /// Lowers every call of <paramref name="model"/> with its inputs bound to <paramref name="inputs"/> (values and
    /// masks) and returns the values of its outputs. Nested models are lowered inline, once per call.
    /// </summary>
    static OnnxValue[] Lower(OnnxGraph graph, ModelDescription model, IReadOnlyList<(OnnxValue Value, OnnxValue? Mask)> inputs, int kerasMajor)
    {
        string outerScope = graph.Scope;
        return new GraphWalk(model).Run(inputs.Select(i => i.Value).ToList(), inputs.Select(i => i.Mask).ToList(), (step, values) =>
        {
            var layer = step.Layer;
            var inputMasks = new Dictionary<string, OnnxValue>(StringComparer.Ordinal);
            foreach (var (input, inputMask) in values.InputMasks(step) ?? []) inputMasks[input.Name] = inputMask;
            var call = new OnnxLayerCall(graph, layer, kerasMajor, values.Args(step), values.Kwargs(step), values.PropagatedMask(step), inputMasks);
            graph.Scope = outerScope.Length == 0 ? layer.Name : $"{outerScope}/{layer.Name}";
            OnnxLowered lowered;
            try
            {
                lowered = layer.Nested is { } nested
                    ? call.Pass([.. Lower(graph, nested, call.Inputs.Select(v => (v, call.MaskOf(v))).ToList(), nested.KerasVersion is null ? kerasMajor : nested.KerasMajorVersion)])
                    : Lowering(call)(call);
            }
            catch (Exception e) when (e is not KerasPortException and not OutOfMemoryException)
            {
                throw new KerasPortException($"layer '{layer.Name}' ({layer.ClassName}): ONNX export failed: {e.Message}", e);
            }
            finally { graph.Scope = outerScope; }
            values.Set(step.Slot, [.. lowered.Outputs]);
            if (lowered.Mask is { } mask) values.SetMask(step.Slot, mask, lowered.Outputs.Count);
        });
    }

    /// <summary>The lowering of the call's layer class (<c>ops.</c> + class for raw <c>keras.ops</c> nodes).</summary>
    internal static OnnxLowering Lowering(OnnxLayerCall call)
    {
        var key = call.Description.RegistryKey;
        return OnnxLowerings.Table.TryGetValue(key, out var lowering) ? lowering
            : throw new UnsupportedLayerException(call.ClassName, call.Name, $"cannot be exported to ONNX: no ONNX lowering for class '{call.ClassName}'");
    }
}
