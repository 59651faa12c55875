using System.Text.Json;
using Google.Protobuf;
using KerasPort.Converters.SavedModel.KerasProto;
using KerasPort.Converters.SavedModel.Proto;

namespace KerasPort.Converters.SavedModel;

/// <summary>
/// Reads a tf.keras SavedModel directory (<c>model.save('dir')</c> in TF 2.x) without TensorFlow: the architecture
/// from the Keras metadata (<c>keras_metadata.pb</c> since TF 2.5, before that the objects of <c>saved_model.pb</c>'s
/// object graph), through the same config reader as HDF5 files; the weights from the checkpoint in
/// <c>variables/</c> (see <see cref="CheckpointWeights"/>). The TF function graphs are never interpreted.
/// </summary>
internal static class SavedModelReader
{
    /// <summary>The SavedModel protobuf in every SavedModel directory.</summary>
    public const string ModelFile = "saved_model.pb";

    /// <summary>tf.keras's per-object metadata (TF 2.5 and later).</summary>
    const string MetadataFile = "keras_metadata.pb";

    /// <summary>Far above any real saved_model.pb (TF graphs of large models are tens of megabytes); protobuf's own limit is 2 GiB.</summary>
    const long MaxProtoBytes = 1L << 30;

    /// <summary>Object identifiers of Keras models (keras/saving/saved_model/constants.py).</summary>
    static readonly HashSet<string> ModelIdentifiers = ["_tf_keras_network", "_tf_keras_sequential", "_tf_keras_model"];

    /// <summary>
    /// True when the first bytes look like a serialized <see cref="Proto.SavedModel"/>: field 1
    /// (<c>saved_model_schema_version</c>, varint, 1) then field 2 (<c>meta_graphs</c>, length-delimited).
    /// </summary>
    public static bool HasSignature(ReadOnlySpan<byte> head) => head is [0x08, 0x01, 0x12, ..];

    /// <summary>The saved_model.pb a path names: the file itself, or the one inside a directory.</summary>
    public static string ModelPath(string path) => Directory.Exists(path) ? Path.Combine(path, ModelFile) : path;

    /// <summary>Reads the SavedModel directory <paramref name="path"/> (or the directory of the saved_model.pb it names).</summary>
    public static ModelDescription Read(string path)
    {
        var modelPath = Path.GetFullPath(ModelPath(path));
        if (!File.Exists(modelPath)) throw new ModelFileNotFoundException(modelPath);
        // The rest of the model lies beside saved_model.pb; a copy under another name (e.g. a stream saved to a
        // temporary file) has no directory of its own, and whatever lies beside it is not its weights.
        if (Path.GetFileName(modelPath) != ModelFile)
            throw new ModelFileException(modelPath, null, $"this is a SavedModel protobuf, but a SavedModel is a directory: load the directory holding {ModelFile}, keras_metadata.pb and variables/");
        var directory = Path.GetDirectoryName(modelPath)!;
        var metaGraph = ReadMetaGraph(modelPath);
        var objects = metaGraph.ObjectGraphDef is { Nodes.Count: > 0 } graph ? graph
            : throw new ModelFileException(modelPath, "meta_graphs[0].object_graph_def", "the SavedModel has no object graph: it was not written by TF 2 (TF 1 SavedModels hold no Keras model)");
        var metadata = KerasMetadata(directory, objects, modelPath);
        if (!metadata.TryGetValue(0, out var root) || !ModelIdentifiers.Contains(root.Identifier))
            throw new ModelFileException(modelPath, "object_graph_def.nodes[0]",
                "the root object is not a Keras model (no Keras metadata): the directory was written by tf.saved_model.save, not by a Keras model's save()");
        var kerasVersion = KerasConfigReader.Text(root.Json["keras_version"]);
        var architecture = new JsonObject
        {
            ["class_name"] = root.Json["class_name"]?.DeepClone(),
            ["config"] = KerasConfigReader.DecodeTfKerasObjects(root.Json["config"]),
        };
        // Every SavedModel comes from tf.keras 2.x; a file that records no version is read as such (never as Keras 1).
        var model = KerasConfigReader.Read(architecture, root.Source, kerasVersion ?? "2", "tensorflow");
        // A SavedModel is a folder: neither variables/ nor a file in it may be a link to files elsewhere.
        var variables = ModelFolder.Resolve(directory, "variables", modelPath);
        if (Directory.Exists(variables))
            foreach (var entry in Directory.EnumerateFileSystemEntries(variables))
                ModelFolder.Resolve(directory, $"variables/{Path.GetFileName(entry)}", modelPath);
        var bundle = TensorBundle.Open(Path.Combine(variables, "variables"));
        return CheckpointWeights.Attach(model, bundle, objects, metadata, modelPath);
    }

    /// <summary>The meta graph tagged <c>serve</c> (Keras writes exactly one), parsed without its TF graphs.</summary>
    static MetaGraphDef ReadMetaGraph(string modelPath)
    {
        var saved = ParseFile(Proto.SavedModel.Parser, modelPath);
        if (saved.MetaGraphs.Count == 0) throw new ModelFileException(modelPath, "meta_graphs", "the SavedModel holds no meta graph");
        return saved.MetaGraphs.FirstOrDefault(m => m.MetaInfoDef?.Tags.Contains("serve") == true) ?? saved.MetaGraphs[0];
    }

    /// <summary>Parses a whole protobuf file, discarding fields the trimmed schema leaves out (the TF graphs) instead of copying them.</summary>
    static T ParseFile<T>(MessageParser<T> parser, string path) where T : IMessage<T>
    {
        long length = new FileInfo(path).Length;
        if (length > MaxProtoBytes) throw new ModelFileException(path, null, $"{length:N0} bytes is more than a SavedModel protobuf holds (limit {MaxProtoBytes:N0})");
        try { return parser.WithDiscardUnknownFields(true).ParseFrom(File.ReadAllBytes(path)); }
        catch (InvalidProtocolBufferException e) { throw new ModelFileException(path, null, $"not a valid {typeof(T).Name} protobuf: {e.Message}", e); }
        catch (IOException e) { throw new ModelFileException(path, null, $"cannot read: {e.Message}", e); }
    }

    /// <summary>
    /// The Keras metadata of the object graph's nodes, by node id: from keras_metadata.pb when the directory has one
    /// (its <c>node_id</c>s index <paramref name="objects"/>), else from the nodes' <c>user_object.metadata</c> (TF 2.4 and earlier).
    /// </summary>
    static Dictionary<int, KerasObject> KerasMetadata(string directory, SavedObjectGraph objects, string modelPath)
    {
        var entries = new List<(int NodeId, string Identifier, string Json, string File, string Part)>();
        var metadataPath = ModelFolder.Resolve(directory, MetadataFile, modelPath);
        if (File.Exists(metadataPath))
        {
            var saved = ParseFile(SavedMetadata.Parser, metadataPath);
            for (int i = 0; i < saved.Nodes.Count; i++)
                entries.Add((saved.Nodes[i].NodeId, saved.Nodes[i].Identifier, saved.Nodes[i].Metadata, metadataPath, $"nodes[{i}]"));
        }
        else
        {
            for (int i = 0; i < objects.Nodes.Count; i++)
                if (objects.Nodes[i].UserObject is { } user && user.Identifier.StartsWith("_tf_keras_", StringComparison.Ordinal) && user.Metadata.Length > 0)
                    entries.Add((i, user.Identifier, user.Metadata, modelPath, $"object_graph_def.nodes[{i}].user_object.metadata"));
        }
        var result = new Dictionary<int, KerasObject>();
        foreach (var (nodeId, identifier, text, file, part) in entries)
        {
            if (nodeId < 0 || nodeId >= objects.Nodes.Count)
                throw new ModelFileException(file, part, $"node_id {nodeId} is not a node of saved_model.pb's object graph ({objects.Nodes.Count} nodes)");
            JsonObject json;
            try { json = KerasConfigReader.ParsePythonJson(text) as JsonObject ?? throw new JsonException("not a JSON object"); }
            catch (JsonException e) { throw new ModelFileException(file, part, $"malformed Keras metadata: {e.Message}", e); }
            if (!result.TryAdd(nodeId, new KerasObject(identifier, json, $"{file}!{part}")))
                throw new ModelFileException(file, part, $"a second Keras metadata entry for object graph node {nodeId}");
        }
        return result;
    }
}

/// <summary>The Keras metadata of one object: its identifier (<c>_tf_keras_layer</c>, ...), its JSON, and where that was read (<c>file!part</c>).</summary>
internal sealed record KerasObject(string Identifier, JsonObject Json, string Source)
{
    /// <summary>The Keras name of the object (the layer or model name), if recorded.</summary>
    public string? Name => KerasConfigReader.Text(Json["name"]);
}
