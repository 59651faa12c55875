using System.Globalization;
using System.Text.RegularExpressions;
using Google.Protobuf;
using KerasPort.Converters.SavedModel.Proto;

namespace KerasPort.Converters.SavedModel;

/// <summary>
/// Puts a SavedModel checkpoint's variables onto the layers of a model description, through the checkpoint's object
/// graph (a <see cref="TrackableObjectGraph"/> stored as the string tensor <c>_CHECKPOINTABLE_OBJECT_GRAPH</c>).
/// Checkpoint keys name a variable by the first path that reaches it (<c>layer_with_weights-0/kernel</c>, but also
/// <c>variables/3</c> or <c>trainable_variables/0</c> when a nested model or an RNN cell owns it), so keys are never
/// parsed: each layer is found as a <c>layer-N</c> / <c>layer_with_weights-N</c> child of its model's object, named by
/// its Keras metadata, and its weights are the values of its <c>variables</c> list, which tf.keras writes in
/// <c>layer.weights</c> order (trainable, then non-trainable) — the order of HDF5 <c>weight_names</c>. Nested models
/// are walked layer by layer. Optimizer slots, metric totals and RNG states belong to no layer's variables and are
/// never read.
/// </summary>
internal static partial class CheckpointWeights
{
    /// <summary>The checkpoint key of the object graph (tensorflow/python/checkpoint: <c>OBJECT_GRAPH_PROTO_KEY</c>).</summary>
    public const string ObjectGraphKey = "_CHECKPOINTABLE_OBJECT_GRAPH";

    /// <summary>The attribute name of a variable's value (<c>VARIABLE_VALUE_KEY</c>).</summary>
    const string VariableValue = "VARIABLE_VALUE";

    /// <summary>The list of a layer's variables that tf.keras adds to the SavedModel object graph (layer.variables).</summary>
    const string VariablesList = "variables";

    /// <summary>Edges from a model to its layers (keras/engine/functional.py <c>_layer_checkpoint_dependencies</c>).</summary>
    [GeneratedRegex("^layer(_with_weights)?-[0-9]+$")]
    private static partial Regex LayerEdge();

    /// <summary>
    /// Returns <paramref name="model"/> with the weights of every layer from <paramref name="bundle"/>. Layers are
    /// identified by the Keras metadata of <paramref name="objects"/>' nodes (<paramref name="metadata"/>, by node id).
    /// </summary>
    public static ModelDescription Attach(ModelDescription model, TensorBundle bundle, SavedObjectGraph objects,
        IReadOnlyDictionary<int, KerasObject> metadata, string modelPath)
    {
        var graph = ReadObjectGraph(bundle);
        var checkpointIds = MatchNodes(objects, graph, modelPath, bundle.IndexPath);
        var kerasObjects = metadata.Where(kv => checkpointIds.ContainsKey(kv.Key)).ToDictionary(kv => checkpointIds[kv.Key], kv => kv.Value);
        return new Walker(bundle, graph, kerasObjects).Attach(model, 0, "(root)");
    }

    static TrackableObjectGraph ReadObjectGraph(TensorBundle bundle)
    {
        var serialized = bundle.ReadStrings(ObjectGraphKey);
        if (serialized.Length != 1)
            throw new ModelFileException(bundle.IndexPath, ObjectGraphKey, $"the object graph is a tensor of {serialized.Length} strings, not one");
        TrackableObjectGraph graph;
        try { graph = TrackableObjectGraph.Parser.ParseFrom(serialized[0]); }
        catch (InvalidProtocolBufferException e) { throw new ModelFileException(bundle.IndexPath, ObjectGraphKey, $"malformed object graph: {e.Message}", e); }
        if (graph.Nodes.Count == 0) throw new ModelFileException(bundle.IndexPath, ObjectGraphKey, "the object graph has no nodes");
        return graph;
    }

    /// <summary>
    /// Pairs the nodes of saved_model.pb's object graph with the checkpoint's: both describe the same Python objects
    /// and their named edges, from the same root, with their own numbering. Walks both breadth first along edges of the
    /// same name; returns saved-model node id to checkpoint node id, one to one (where corrupt graphs disagree, the
    /// first pairing found wins).
    /// </summary>
    static Dictionary<int, int> MatchNodes(SavedObjectGraph objects, TrackableObjectGraph graph, string modelPath, string indexPath)
    {
        var match = new Dictionary<int, int> { [0] = 0 };
        var paired = new HashSet<int> { 0 };
        var queue = new Queue<(int Saved, int Checkpoint)>([(0, 0)]);
        while (queue.TryDequeue(out var pair))
        {
            var edges = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var edge in graph.Nodes[pair.Checkpoint].Children)
                edges.TryAdd(edge.LocalName, CheckNode(edge.NodeId, graph.Nodes.Count, indexPath, ObjectGraphKey));
            foreach (var edge in objects.Nodes[pair.Saved].Children)
            {
                int saved = CheckNode(edge.NodeId, objects.Nodes.Count, modelPath, "object_graph_def");
                if (edges.TryGetValue(edge.LocalName, out var checkpoint) && !match.ContainsKey(saved) && paired.Add(checkpoint))
                {
                    match[saved] = checkpoint;
                    queue.Enqueue((saved, checkpoint));
                }
            }
        }
        return match;
    }

    static int CheckNode(int id, int count, string file, string part) =>
        id >= 0 && id < count ? id : throw new ModelFileException(file, part, $"an edge points at node {id}, outside the {count}-node object graph");

    /// <summary>Walks a model description and the checkpoint's object graph together.</summary>
    sealed class Walker(TensorBundle bundle, TrackableObjectGraph graph, Dictionary<int, KerasObject> kerasObjects)
    {
        int Check(int id, string path) => CheckNode(id, graph.Nodes.Count, bundle.IndexPath, $"{ObjectGraphKey} {path}");

        public ModelDescription Attach(ModelDescription model, int node, string path)
        {
            var layerNodes = new Dictionary<string, (int Node, string Edge)>(StringComparer.Ordinal);
            foreach (var edge in graph.Nodes[node].Children.Where(e => LayerEdge().IsMatch(e.LocalName)))
            {
                int child = Check(edge.NodeId, path);
                if (kerasObjects.TryGetValue(child, out var keras) && keras.Name is { } name) layerNodes.TryAdd(name, (child, edge.LocalName));
            }
            var layers = model.Layers.Select(layer =>
            {
                if (!layerNodes.TryGetValue(layer.Name, out var found))
                {
                    // A Sequential's input layer is not one of its tracked layers; every other layer is.
                    if (layer.ClassName == "InputLayer") return layer;
                    throw new ModelFileException(bundle.IndexPath, $"{ObjectGraphKey} {path}",
                        $"model '{model.Name}' has a layer '{layer.Name}', but the checkpoint's object graph has no Keras layer of that name under the model");
                }
                var childPath = $"{path}/{found.Edge}";
                return layer.Nested is { } nested
                    ? layer with { Nested = Attach(nested, found.Node, childPath) }
                    : layer with { Weights = Weights(layer.Name, found.Node, childPath) };
            }).ToList();
            return model with { Layers = layers };
        }

        /// <summary>The values of a layer's <c>variables</c> list (empty for a layer without one, e.g. an input layer).</summary>
        List<WeightArray> Weights(string layerName, int node, string path)
        {
            var list = graph.Nodes[node].Children.FirstOrDefault(e => e.LocalName == VariablesList);
            if (list is null) return [];
            var listPath = $"{path}/{VariablesList}";
            var items = graph.Nodes[Check(list.NodeId, listPath)].Children;
            var weights = new List<WeightArray>(items.Count);
            for (int i = 0; i < items.Count; i++)
            {
                var itemPath = $"{listPath}/{i}";
                if (items[i].LocalName != i.ToString(CultureInfo.InvariantCulture))
                    throw new ModelFileException(bundle.IndexPath, $"{ObjectGraphKey} {listPath}", $"entry {i} of layer '{layerName}''s variables is named '{items[i].LocalName}', not '{i}'");
                var value = graph.Nodes[Check(items[i].NodeId, itemPath)].Attributes.FirstOrDefault(a => a.Name == VariableValue)
                    ?? throw new ModelFileException(bundle.IndexPath, $"{ObjectGraphKey} {itemPath}", $"weight {i} of layer '{layerName}' has no value in the checkpoint");
                // The variable's TF name (e.g. "dense/kernel"), as HDF5 files list it in weight_names ("dense/kernel:0").
                var name = value.FullName.Length > 0 ? value.FullName + ":0" : $"{layerName}/{i}";
                weights.Add(new WeightArray(name, bundle.ReadTensor(value.CheckpointKey)));
            }
            return weights;
        }
    }
}
