using System.IO.Compression;
using System.Text;
using System.Text.Json;
using KerasPort.Converters.Hdf5;
using KerasPort.Converters.SavedModel;
using KerasPort.Converters.Yaml;
using PureHDF;

namespace KerasPort.Converters;

/// <summary>The file formats KerasPort reads, told apart by content, never by extension.</summary>
public enum ModelFileFormat
{
    /// <summary>Keras 3 <c>.keras</c> zip (<c>config.json</c> + <c>model.weights.h5</c>).</summary>
    KerasArchive,
    /// <summary>Full-model HDF5 (root attribute <c>model_config</c>, weights under <c>model_weights</c>).</summary>
    Hdf5Model,
    /// <summary>Weights-only HDF5, legacy layout (<c>layer_names</c>/<c>weight_names</c>).</summary>
    Hdf5LegacyWeights,
    /// <summary>Weights-only HDF5, Keras 3 layout (<c>layers/&lt;key&gt;/vars/&lt;i&gt;</c>).</summary>
    Hdf5Keras3Weights,
    /// <summary>JSON architecture (<c>model.to_json()</c>).</summary>
    Json,
    /// <summary>YAML architecture (<c>model.to_yaml()</c>).</summary>
    Yaml,
    /// <summary>KerasPort's own archive (<c>kerasport convert --to torchsharp</c>): a zip with <c>description.json</c> and <c>weights.npz</c>.</summary>
    KerasPortArchive,
    /// <summary>
    /// A TensorFlow 2 SavedModel directory written by tf.keras (<c>saved_model.pb</c>, <c>keras_metadata.pb</c> since
    /// TF 2.5, <c>variables/</c>), named by the directory or by its <c>saved_model.pb</c>.
    /// </summary>
    SavedModel,
    /// <summary>
    /// An unzipped <c>.keras</c> folder, as <c>model.save(path, zipped=False)</c> writes it: <c>config.json</c>,
    /// <c>metadata.json</c> and <c>model.weights.h5</c> (keras/src/saving/saving_lib.py <c>_save_model_to_dir</c>).
    /// </summary>
    KerasDirectory,
    /// <summary>
    /// The index of sharded Keras 3 weights (<c>save_weights("model.weights.json", max_shard_size=...)</c>): a JSON
    /// <c>weight_map</c> naming the <c>model_NNNNN.weights.h5</c> shards beside it.
    /// </summary>
    ShardedKeras3Weights,
}

/// <summary>
/// Entry point of the readers: loads any Keras model file (plus, for architecture-only files, a weights file)
/// into a <see cref="ModelDescription"/>.
/// </summary>
public static class KerasModelReader
{
    const string ArchiveConfig = "config.json";
    const string ArchiveWeights = "model.weights.h5";
    const string ArchiveMetadata = "metadata.json";
    const string ShardedWeightsIndex = "model.weights.json";

    /// <summary>Largest config.json accepted (a real one is kilobytes): stops a zip bomb before it expands.</summary>
    const long MaxConfigBytes = 64L << 20;

    /// <summary>Largest model.weights.h5 accepted in memory, and never more than 200 times the archive's own size.</summary>
    const long MaxWeightsBytes = 16L << 30;

    /// <summary>
    /// Loads a model from a file, a SavedModel folder, or an unzipped <c>.keras</c> folder. <paramref name="weightsPath"/>
    /// is needed only for JSON/YAML architectures (either HDF5 weights layout, or a sharded Keras 3 index
    /// <c>*.weights.json</c>); without it the description has no weights.
    /// </summary>
    public static ModelDescription Load(string path, string? weightsPath = null)
    {
        var format = DetectFormat(path);
        var model = format switch
        {
            ModelFileFormat.KerasArchive => ReadArchive(path),
            ModelFileFormat.KerasPortArchive => KerasPortFormat.KerasPortArchive.Read(path),
            ModelFileFormat.Hdf5Model => Hdf5Values.Guard(path, () => ReadHdf5Model(path)),
            ModelFileFormat.Json => KerasConfigReader.Parse(File.ReadAllText(path), path),
            ModelFileFormat.Yaml => ReadYaml(path),
            ModelFileFormat.SavedModel => SavedModelReader.Read(path),
            ModelFileFormat.KerasDirectory => ReadDirectory(path),
            ModelFileFormat.ShardedKeras3Weights => throw new ModelFileException(path, null,
                "this is the index of sharded weights (no architecture); load its architecture (JSON/YAML) and pass this file as the weights"),
            _ => throw new ModelFileException(path, null,
                "this HDF5 file holds only weights (no 'model_config' attribute); load its architecture (JSON/YAML) and pass this file as the weights"),
        };
        if (weightsPath is null) return model;
        if (format is not (ModelFileFormat.Json or ModelFileFormat.Yaml))
            throw new ModelFileException(weightsPath, null, $"a separate weights file goes with a JSON/YAML architecture, but {path} is {format}");
        return AttachWeights(model, weightsPath);
    }

    /// <summary>
    /// Fills <paramref name="model"/>'s weights from an HDF5 weights file of either layout, or from the index
    /// (<c>*.weights.json</c>) of sharded Keras 3 weights.
    /// </summary>
    public static ModelDescription AttachWeights(ModelDescription model, string weightsPath)
    {
        if (File.Exists(weightsPath) && !Hdf5Values.IsHdf5(weightsPath) && Keras3ShardedWeights.IsIndex(ReadTextStart(weightsPath)))
            return Keras3ShardedWeights.Attach(model, weightsPath);
        using var handle = Hdf5Values.Open(weightsPath);
        return Hdf5Values.Guard(weightsPath, () => AttachHdf5Weights(model, handle, weightsPath));
    }

    /// <summary>
    /// Tells the format of <paramref name="path"/> from its first bytes and, for HDF5, its attributes. A directory is
    /// a SavedModel when it holds a <c>saved_model.pb</c>, an unzipped <c>.keras</c> folder when it holds a <c>config.json</c>.
    /// </summary>
    public static ModelFileFormat DetectFormat(string path)
    {
        if (Directory.Exists(path))
            return File.Exists(SavedModelReader.ModelPath(path)) ? ModelFileFormat.SavedModel
                : File.Exists(Path.Combine(path, ArchiveConfig)) ? ModelFileFormat.KerasDirectory
                : throw new ModelFileException(path, null,
                    $"this folder is neither an unzipped .keras folder ({ArchiveConfig} + {ArchiveWeights}, from model.save(path, zipped=False)) nor a TensorFlow SavedModel ({SavedModelReader.ModelFile}); name a model file or such a folder");
        if (!File.Exists(path)) throw new ModelFileNotFoundException(path);
        var head = new byte[4];
        int read;
        using (var stream = File.OpenRead(path)) read = stream.Read(head, 0, 4);
        if (SavedModelReader.HasSignature(head.AsSpan(0, read))) return ModelFileFormat.SavedModel;
        if (read == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4)
            return KerasPortFormat.KerasPortArchive.IsKerasPortArchive(path) ? ModelFileFormat.KerasPortArchive : ModelFileFormat.KerasArchive;
        // Pickle protocol 2+ starts with PROTO (0x80) and the protocol number. Never unpickled: it can run code.
        if (read >= 2 && head[0] == 0x80 && head[1] is >= 2 and <= 5)
            throw new ModelFileException(path, null,
                $"this is a Python pickle (protocol {head[1]}), not a Keras file; KerasPort never unpickles files because that can execute code");
        if (Hdf5Values.IsHdf5(path))
        {
            using var handle = Hdf5Values.Open(path);
            var root = handle.File;
            return Hdf5Values.Guard(path, () =>
                root.AttributeExists("model_config") ? ModelFileFormat.Hdf5Model
                : LegacyWeightsReader.IsLegacyWeightsGroup(root) ? ModelFileFormat.Hdf5LegacyWeights
                : Keras3WeightsReader.IsKeras3WeightsGroup(root) ? ModelFileFormat.Hdf5Keras3Weights
                : throw new ModelFileException(path, "/", "HDF5 file is not a Keras model: no 'model_config', 'layer_names' or 'layers'"));
        }
        var text = ReadTextStart(path);
        if (Keras3ShardedWeights.IsIndex(text)) return ModelFileFormat.ShardedKeras3Weights;
        var first = text.TrimStart().FirstOrDefault();
        if (first is '{' or '"') return ModelFileFormat.Json; // '"': JSON encoded twice (a string holding the model JSON)
        if (first != default && text.Contains("class_name")) return ModelFileFormat.Yaml;
        throw new ModelFileException(path, null, "not a Keras model: neither a .keras zip, HDF5, JSON nor YAML architecture");
    }

    static string ReadTextStart(string path)
    {
        var buffer = new byte[4096];
        using var stream = File.OpenRead(path);
        int read = stream.Read(buffer, 0, buffer.Length);
        if (buffer.AsSpan(0, read).Contains((byte)0)) return "";
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    static ModelDescription ReadHdf5Model(string path)
    {
        using var handle = Hdf5Values.Open(path);
        var root = handle.File;
        var config = Hdf5Values.StringAttribute(root, "model_config")
            ?? throw new ModelFileException(path, "/model_config", "attribute is not a string");
        var weightsRoot = root.LinkExists("model_weights") ? root.Group("model_weights") : root;
        var model = KerasConfigReader.Parse(config, path,
            Hdf5Values.StringAttribute(root, "keras_version") ?? Hdf5Values.StringAttribute(weightsRoot, "keras_version"),
            Hdf5Values.StringAttribute(root, "backend") ?? Hdf5Values.StringAttribute(weightsRoot, "backend"));
        var weights = LegacyWeightsReader.Read(weightsRoot, path, root.LinkExists("model_weights") ? "/model_weights" : "/", handle.Length);
        var converted = LegacyWeightConverter.Convert(LegacyWeightsAttacher.Attach(model, weights, path),
            Hdf5Values.StringAttribute(weightsRoot, "keras_version") ?? Hdf5Values.StringAttribute(root, "keras_version"), model.Backend);
        return root.AttributeExists("training_config") ? converted with { CompileConfig = ReadTrainingConfig(root, path) } : converted;
    }

    /// <summary>
    /// A legacy HDF5's <c>training_config</c> attribute in Keras 3's <c>compile_config</c> form: the same keys, with
    /// <c>optimizer_config</c> renamed <c>optimizer</c> (keras/src/legacy/saving/saving_utils.py <c>compile_args_from_training_config</c>).
    /// </summary>
    static JsonObject ReadTrainingConfig(PureHDF.IH5Group root, string path)
    {
        var text = Hdf5Values.StringAttribute(root, "training_config")
            ?? throw new ModelFileException(path, "/training_config", "attribute is not a string");
        JsonObject config;
        try { config = KerasConfigReader.ParseJson(text) as JsonObject ?? throw new JsonException("not a JSON object"); }
        catch (JsonException e) { throw new ModelFileException(path, "/training_config", $"malformed training config: {e.Message}", e); }
        if (config["optimizer_config"] is { } optimizer)
        {
            config.Remove("optimizer_config");
            config["optimizer"] = optimizer;
        }
        return config;
    }

    static ModelDescription AttachHdf5Weights(ModelDescription model, NativeFileHandle handle, string path)
    {
        var root = handle.File;
        var (group, groupPath) = root.LinkExists("model_weights") && root.Group("model_weights") is var full && LegacyWeightsReader.IsLegacyWeightsGroup(full)
            ? (full, "/model_weights")
            : (root, "/");
        if (LegacyWeightsReader.IsLegacyWeightsGroup(group))
        {
            var backend = model.Backend ?? Hdf5Values.StringAttribute(group, "backend") ?? Hdf5Values.StringAttribute(root, "backend");
            var attached = LegacyWeightsAttacher.Attach(model, LegacyWeightsReader.Read(group, path, groupPath, handle.Length), path) with
            {
                KerasVersion = model.KerasVersion ?? Hdf5Values.StringAttribute(group, "keras_version"),
                Backend = backend,
            };
            return LegacyWeightConverter.Convert(attached, Hdf5Values.StringAttribute(group, "keras_version") ?? Hdf5Values.StringAttribute(root, "keras_version"), backend);
        }
        if (Keras3WeightsReader.IsKeras3WeightsGroup(root)) return Keras3WeightsReader.Attach(model, root, path, handle.Length);
        throw new ModelFileException(path, "/", "HDF5 file holds no Keras weights: no 'layer_names' or 'layers'");
    }

    static ModelDescription ReadYaml(string path)
    {
        var json = YamlToJson.Convert(File.ReadAllText(path), path) as JsonObject
            ?? throw new ModelFileException(path, null, "YAML architecture is not a mapping");
        return KerasConfigReader.Read(json, path, KerasConfigReader.Text(json["keras_version"]), KerasConfigReader.Text(json["backend"]));
    }

    static ModelDescription ReadArchive(string path)
    {
        // A corrupt archive can fail anywhere: opening, listing entries (central directory) or inflating one.
        try
        {
            using var zip = ZipFile.OpenRead(path);
            return ReadArchive(zip, path);
        }
        catch (InvalidDataException e) { throw new ModelFileException(path, null, $"corrupt zip archive: {e.Message}", e); }
    }

    static ModelDescription ReadArchive(ZipArchive zip, string path)
    {
        var configEntry = zip.GetEntry(ArchiveConfig)
            ?? throw new ModelFileException(path, ArchiveConfig, "zip has no config.json: not a .keras archive");
        var metadata = zip.GetEntry(ArchiveMetadata) is { } metadataEntry ? ReadEntryText(metadataEntry, path) : null;
        var configText = ReadEntryText(configEntry, path);
        var model = ReadKerasConfig(configText, metadata, path, $"{path}!{ArchiveConfig}") with
        {
            SavedTokenizer = KerasHub.KerasHubSavedTokenizer.FromArchive(zip, path, configText),
        };
        string? Asset(string name) => zip.GetEntry(name) is { } entry ? ReadEntryText(entry, path) : null;
        var weightsEntry = zip.GetEntry(ArchiveWeights);
        if (weightsEntry is null) return LookupVocabularyAssets.Attach(model, Asset);
        long archiveSize = new FileInfo(path).Length;
        if (weightsEntry.Length > Math.Min(MaxWeightsBytes, Math.Max(archiveSize, 1) * 200))
            throw new ModelFileException(path, ArchiveWeights, $"claims to expand to {weightsEntry.Length:N0} bytes from a {archiveSize:N0}-byte archive: refusing a possible zip bomb");
        var weights = new MemoryStream();
        using (var entryStream = weightsEntry.Open()) entryStream.CopyTo(weights);
        weights.Position = 0;
        var source = $"{path}!{ArchiveWeights}";
        using var handle = Hdf5Values.Open(weights, source);
        return LookupVocabularyAssets.Attach(Hdf5Values.Guard(source, () => Keras3WeightsReader.Attach(model, handle.File, source, handle.Length)), Asset);
    }

    /// <summary>
    /// An unzipped <c>.keras</c> folder: the same files as the zip (with the lookup layers' <c>assets/</c>), read the way keras/src/saving/saving_lib.py
    /// <c>_load_model_from_dir</c> does, each resolved inside <paramref name="folder"/> (a link may not lead out). A KerasHub
    /// preset folder has the same <c>config.json</c> and <c>model.weights.h5</c>, or sharded weights (<c>model.weights.json</c>).
    /// </summary>
    static ModelDescription ReadDirectory(string folder)
    {
        var configPath = ModelFolder.Resolve(folder, ArchiveConfig, folder);
        var metadataPath = ModelFolder.Resolve(folder, ArchiveMetadata, folder);
        var weightsPath = ModelFolder.Resolve(folder, ArchiveWeights, folder);
        var metadata = File.Exists(metadataPath) ? ReadFolderText(folder, metadataPath) : null;
        var configText = ReadFolderText(folder, configPath);
        var model = ReadKerasConfig(configText, metadata, folder, configPath) with { SavedTokenizer = KerasHub.KerasHubSavedTokenizer.FromFolder(folder, configText) };
        // A KerasHub preset folder may shard its weights: model.weights.json names the model_NNNNN.weights.h5 beside it.
        var shardIndex = ModelFolder.Resolve(folder, ShardedWeightsIndex, folder);
        if (!File.Exists(weightsPath) && File.Exists(shardIndex))
            return LookupVocabularyAssets.Attach(Keras3ShardedWeights.Attach(model, shardIndex), FolderAsset(folder));
        if (!File.Exists(weightsPath))
            throw new ModelFileException(folder, ArchiveWeights,
                $"unzipped .keras folder has no {ArchiveWeights} (nor sharded {ShardedWeightsIndex}) beside its {ArchiveConfig} (KerasPort reads Keras's default h5 weights, not weights_format='npz')");
        using var handle = Hdf5Values.Open(weightsPath);
        return LookupVocabularyAssets.Attach(Hdf5Values.Guard(weightsPath, () => Keras3WeightsReader.Attach(model, handle.File, weightsPath, handle.Length)), FolderAsset(folder));
    }

    /// <summary>Reads a lookup layer's asset file of <paramref name="folder"/> (resolved inside it), or null when absent.</summary>
    static Func<string, string?> FolderAsset(string folder) =>
        name => ModelFolder.Resolve(folder, name, folder) is var file && File.Exists(file) ? ReadFolderText(folder, file) : null;

    static string ReadFolderText(string folder, string path) =>
        new FileInfo(path).Length <= MaxConfigBytes ? File.ReadAllText(path)
            : throw new ModelFileException(folder, Path.GetFileName(path), $"is over {MaxConfigBytes >> 20} MiB; a Keras config is far smaller");

    /// <summary>The model of a <c>.keras</c> config, zipped or not; <paramref name="path"/> names the model in metadata errors.</summary>
    static ModelDescription ReadKerasConfig(string configText, string? metadataText, string path, string configSource)
    {
        var version = metadataText is null ? null : ReadMetadataVersion(metadataText, path);
        return KerasConfigReader.Parse(configText, configSource, version ?? "3") with { CompileConfig = ReadCompileConfig(configText) };
    }

    /// <summary>The <c>compile_config</c> object of a <c>.keras</c> config (already checked to parse), or null.</summary>
    static JsonObject? ReadCompileConfig(string configText)
    {
        // Parse has accepted the text already; a config it reads only after quoting NaN/Infinity simply has no compile config here.
        // An uncompiled model's compile_config is an empty object (or absent).
        try { return KerasConfigReader.ParseJson(configText) is JsonObject root && root["compile_config"] is JsonObject { Count: > 0 } compile ? (JsonObject)compile.DeepClone() : null; }
        catch (JsonException) { return null; }
    }

    /// <summary>The keras_version recorded in metadata.json; a malformed one is an error naming it.</summary>
    static string? ReadMetadataVersion(string json, string path)
    {
        try { return KerasConfigReader.ParseJson(json) is JsonObject metadata ? KerasConfigReader.Text(metadata["keras_version"]) : throw new JsonException("not a JSON object"); }
        catch (JsonException e) { throw new ModelFileException(path, ArchiveMetadata, $"malformed metadata: {e.Message}", e); }
    }

    static string ReadEntryText(ZipArchiveEntry entry, string path)
    {
        if (entry.Length > MaxConfigBytes)
            throw new ModelFileException(path, entry.FullName, $"claims to expand to {entry.Length:N0} bytes; a Keras config is far smaller: refusing a possible zip bomb");
        try
        {
            using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (InvalidDataException e) { throw new ModelFileException(path, entry.FullName, $"corrupt zip entry: {e.Message}", e); }
    }
}
