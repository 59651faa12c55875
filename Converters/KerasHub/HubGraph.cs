namespace KerasPort.KerasHub;

/// <summary>
/// Builds the functional graph a KerasHub constructor builds (its <c>keras.Input</c>s, layer calls and outputs) as a
/// <see cref="ModelDescription"/>. Layers are listed in call order, which is Keras's <c>model.layers</c> order for
/// these constructors, so the weights file's per-class keys (<c>transformer_decoder</c>, <c>transformer_decoder_1</c>,
/// ...: keras/src/saving/saving_lib.py <c>_save_container_state</c>) line up with them when the weights are attached.
/// </summary>
public sealed class HubGraph
{
    /// <summary>The module given to KerasHub layers (only its <c>keras_hub.</c> prefix matters: see <see cref="LayerDescription.IsKerasHub"/>).</summary>
    const string HubModule = "keras_hub.src.layers";

    const string OpPrefix = OpSpec.Prefix;
    const string OpModule = "keras.src.ops";

    readonly List<LayerDescription> layers = [];
    readonly Dictionary<string, int> callCounts = [];
    readonly List<TensorRef> inputs = [];

    /// <summary>Adds a <c>keras.Input(shape, dtype, name)</c>; <paramref name="shape"/> excludes the batch axis, null for a free size.</summary>
    public TensorRef Input(string name, string dtype, params int?[] shape)
    {
        var batchShape = new JsonArray([null, .. shape.Select(d => d is { } size ? JsonValue.Create(size) : null)]);
        Add(new LayerDescription
        {
            Name = name, ClassName = "InputLayer",
            Config = AsRead(new JsonObject { ["name"] = name, ["batch_shape"] = batchShape, ["dtype"] = dtype, ["sparse"] = false }),
        });
        var input = new TensorRef(name, 0, 0);
        inputs.Add(input);
        return input;
    }

    /// <summary>
    /// Calls layer <paramref name="name"/> of class <paramref name="className"/> (created with <paramref name="config"/>
    /// on its first call; later calls reuse it, as a shared layer) on <paramref name="args"/>, and returns its first output.
    /// </summary>
    /// <remarks>
    /// A KerasHub layer's <paramref name="className"/> is its registered name (<c>keras_hub&gt;TransformerDecoder</c>): the
    /// description keeps the bare class name (the weights file keys layers by it) with a <c>keras_hub</c> module, so that
    /// its handlers are found under the registered name (<see cref="LayerDescription.RegistryKey"/>).
    /// </remarks>
    public TensorRef Call(string name, string className, JsonObject config, params TensorRef[] args) =>
        CallWith(name, className, config, args.Cast<object?>().ToList(), new Dictionary<string, object?>());

    /// <summary>
    /// As <see cref="Call"/>, with positional and keyword arguments that are tensors (<see cref="TensorRef"/>) or constants
    /// (numbers, strings, bools, JSON: e.g. <c>reverse: true</c>), or lists of these. A <paramref name="className"/> <c>ops.Multiply</c> adds a
    /// raw <c>keras.ops</c> node (as Keras records <c>x * 2</c> between layers), and <paramref name="nested"/> a nested model.
    /// </summary>
    public TensorRef CallWith(string name, string className, JsonObject config, IReadOnlyList<object?> args,
        IReadOnlyDictionary<string, object?> kwargs, ModelDescription? nested = null)
    {
        // Configs and constants built in code hold CLR values (a JsonValue of int is not readable as a long or double);
        // reparsed, they read exactly as those of a config file.
        config = AsRead(config);
        var node = new InboundNode(args.Select(Argument).ToList(), kwargs.ToDictionary(k => k.Key, k => Argument(k.Value)));
        int index = layers.FindIndex(l => l.Name == name);
        if (index >= 0)
        {
            if (layers[index].ClassName != className.Replace(KerasHubArchitectures.Package, "").Replace(OpPrefix, ""))
                throw new InvalidOperationException($"layer '{name}' is a {layers[index].ClassName}, not a {className}");
            layers[index] = layers[index] with { InboundNodes = [.. layers[index].InboundNodes, node] };
        }
        else
        {
            config["name"] = name;
            if (className.StartsWith(OpPrefix, StringComparison.Ordinal))
                Add(new LayerDescription { Name = name, ClassName = className[OpPrefix.Length..], Config = config, InboundNodes = [node], Module = OpModule });
            else if (className.StartsWith(KerasHubArchitectures.Package, StringComparison.Ordinal))
                Add(new LayerDescription { Name = name, ClassName = className[KerasHubArchitectures.Package.Length..], Config = config, InboundNodes = [node], Nested = nested, Module = HubModule });
            else
            {
                var (normalizedClass, normalized) = LegacyConfigNormalizer.Normalize(className, config, "torch");
                Add(new LayerDescription { Name = name, ClassName = normalizedClass, Config = normalized, InboundNodes = [node], Nested = nested });
            }
        }
        int call = callCounts[name] = callCounts.GetValueOrDefault(name, -1) + 1;
        return new TensorRef(name, call, 0);
    }

    /// <summary>Output <paramref name="index"/> of the call that produced <paramref name="first"/> (for layers with several outputs).</summary>
    public static TensorRef Output(TensorRef first, int index) => first with { TensorIndex = index };

    /// <summary>The model: <paramref name="outputs"/> in <c>model.outputs</c> order, named by <paramref name="outputNames"/> for a dict output.</summary>
    public ModelDescription Build(string name, IReadOnlyList<TensorRef> outputs, IReadOnlyList<string>? outputNames = null) => new()
    {
        Name = name, ClassName = "Functional", Layers = [.. layers], Inputs = [.. inputs], Outputs = outputs, OutputNames = outputNames,
        Backend = "torch",
    };

    /// <summary>Orders the inputs as Keras flattens a dict of inputs: by sorted key (keras/src/tree: dicts flatten in key order).</summary>
    public void SortInputsByName() => inputs.Sort((a, b) => string.CompareOrdinal(a.Layer, b.Layer));

    static NodeArgument Argument(object? value) => value switch
    {
        TensorRef tensor => new TensorArgument(tensor),
        JsonNode json => new ConstantArgument(AsRead(json)),
        null => new ConstantArgument(null),
        bool flag => new ConstantArgument(AsRead(JsonValue.Create(flag))),
        int number => new ConstantArgument(AsRead(JsonValue.Create(number))),
        double number => new ConstantArgument(AsRead(JsonValue.Create(number))),
        string text => new ConstantArgument(AsRead(JsonValue.Create(text))),
        // A Python list or tuple argument (an index such as x[:, 0, :], a list of tensors): items of any of these kinds.
        IReadOnlyList<object?> items => new ListArgument(items.Select(Argument).ToList()),
        var other => throw new ArgumentException($"a call argument must be a tensor, a JSON node or a number, bool or string, not {other.GetType().Name}"),
    };

    /// <summary><paramref name="node"/> as a JSON reader gives it (what every config reader expects).</summary>
    internal static T AsRead<T>(T node) where T : JsonNode => (T)JsonNode.Parse(node.ToJsonString())!;

    void Add(LayerDescription layer)
    {
        if (layers.Any(l => l.Name == layer.Name)) throw new InvalidOperationException($"two layers named '{layer.Name}'");
        layers.Add(layer);
    }
}
