using System.Text;
using PureHDF;

namespace KerasPort.Converters.Hdf5;

/// <summary>
/// Writes the legacy Keras HDF5 layout, as keras/src/legacy/saving/legacy_h5_format.py does
/// (<c>save_model_to_hdf5</c>, <c>save_weights_to_hdf5_group</c>, <c>save_attributes_to_hdf5_group</c>): a full model
/// has root attributes <c>keras_version</c>, <c>backend</c> and <c>model_config</c> (JSON) and its weights in group
/// <c>model_weights</c>; a weights file has the weights at the root. The weights group carries <c>layer_names</c>,
/// <c>backend</c> and <c>keras_version</c>, then one group per layer (created in name order) with a
/// <c>weight_names</c> attribute and one dataset per weight at the path its name gives (<c>lstm/lstm_cell/kernel</c>
/// is dataset <c>kernel</c> in groups <c>lstm</c>, <c>lstm_cell</c>), and an empty <c>top_level_model_weights</c> group.
/// </summary>
/// <remarks>
/// The file keeps the source's generation, so it computes what the source computes: a Keras 3 model is written as
/// Keras 3 writes <c>.h5</c> files (<see cref="LegacyConfigDialect.Keras3"/>, weight names without <c>:0</c>); a Keras 1
/// or 2 model as tf.keras does (<see cref="LegacyConfigDialect.Keras2"/>, names with <c>:0</c>). Keras 1 and Theano
/// kernels were converted to the Keras 2 TensorFlow layout when read, so the weights group says Keras
/// <see cref="UpgradedWeightsVersion"/> and backend tensorflow (as Keras 2 itself records weights it converted on
/// loading), while the root keeps the source's version for the model's numerics.
/// </remarks>
public static class LegacyHdf5Writer
{
    /// <summary>The version recorded on the weights of a Keras 1 model: the first Keras whose weight layout they now have.</summary>
    public const string UpgradedWeightsVersion = "2.0.0";

    /// <summary>keras/src/legacy/saving/legacy_h5_format.py <c>HDF5_OBJECT_HEADER_LIMIT</c>: longer name lists are split into <c>name0</c>, <c>name1</c>, ...</summary>
    const int ObjectHeaderLimit = 64512;

    /// <summary>The config dialect and weight naming a file written from <paramref name="model"/> uses: its own generation's.</summary>
    public static LegacyConfigDialect DialectOf(ModelDescription model) =>
        model.KerasMajorVersion >= 3 ? LegacyConfigDialect.Keras3 : LegacyConfigDialect.Keras2;

    /// <summary>Writes <paramref name="model"/> as a full-model <c>.h5</c> file (<c>model.save("m.h5")</c>) to <paramref name="stream"/>.</summary>
    /// <exception cref="UnsupportedLayerException">A layer's config or weights cannot be written in this layout.</exception>
    public static void WriteModel(ModelDescription model, Stream stream)
    {
        var dialect = DialectOf(model);
        // Build everything first, so an unsupported layer fails before anything is written.
        var config = LegacyConfigWriter.Write(model, dialect).ToJsonString();
        var (version, backend) = Versions(model);
        var root = new H5File();
        root.Attributes["keras_version"] = version;
        root.Attributes["backend"] = backend;
        root.Attributes["model_config"] = config;
        if (model.CompileConfig is { } compile) root.Attributes["training_config"] = TrainingConfig(compile);
        var weights = new H5Group();
        Fill(weights, model, dialect);
        root["model_weights"] = weights;
        root.Write(stream);
    }

    /// <summary>
    /// A Keras 3 <c>compile_config</c> as the <c>training_config</c> attribute: the same keys, with <c>optimizer</c>
    /// named <c>optimizer_config</c> (keras/src/legacy/saving/saving_utils.py <c>model_metadata</c>; the inverse of
    /// what the reader does).
    /// </summary>
    static string TrainingConfig(System.Text.Json.Nodes.JsonObject compile)
    {
        var config = (System.Text.Json.Nodes.JsonObject)compile.DeepClone();
        if (config["optimizer"] is { } optimizer)
        {
            config.Remove("optimizer");
            config["optimizer_config"] = optimizer.DeepClone();
        }
        return config.ToJsonString();
    }

    /// <summary>Writes <paramref name="model"/>'s weights as a legacy weights file (<c>save_weights_to_hdf5_group</c> at the root) to <paramref name="stream"/>.</summary>
    /// <exception cref="UnsupportedLayerException">A layer's weights have no known legacy names.</exception>
    public static void WriteWeights(ModelDescription model, Stream stream)
    {
        var root = new H5File();
        Fill(root, model, DialectOf(model));
        root.Write(stream);
    }

    /// <summary>The root's keras_version and backend: the source's, or what this writer mirrors when unknown.</summary>
    static (string Version, string Backend) Versions(ModelDescription model) =>
        model.KerasMajorVersion >= 3
            ? (KerasArchiveWriter.KerasVersion, model.Backend ?? "tensorflow")
            : (model.KerasVersion!, model.Backend is null or "theano" ? "tensorflow" : model.Backend);

    static void Fill(H5Group group, ModelDescription model, LegacyConfigDialect dialect)
    {
        bool keras3 = dialect == LegacyConfigDialect.Keras3;
        var (version, backend) = Versions(model);
        if (model.KerasMajorVersion == 1) version = UpgradedWeightsVersion;
        // model.layers: a Sequential's does not list its InputLayer; raw keras.ops nodes are no layers.
        var layers = model.Layers.Where(l => !l.IsOp && !(model.ClassName == "Sequential" && l.ClassName == "InputLayer")).ToList();
        SetStrings(group, "layer_names", layers.Select(l => l.Name).ToList());
        group.Attributes["backend"] = backend;
        group.Attributes["keras_version"] = version;
        // Keras 3 builds a Sequential's layers in the model's name scope (sequential/dense/kernel); tf.keras does not.
        var scope = keras3 && model.ClassName == "Sequential" ? model.Name + "/" : "";
        var suffix = keras3 ? "" : ":0";
        foreach (var layer in layers.OrderBy(l => l.Name, StringComparer.Ordinal))
        {
            var layerGroup = new H5Group();
            if (!group.TryAdd(layer.Name, layerGroup))
                throw new UnsupportedLayerException(layer.ClassName, layer.Name, "another layer has the same name: the legacy HDF5 layout keys weights by layer name");
            var weights = LegacyWeightNames.Of(layer, scope, suffix, sequentialScopes: keras3);
            SetStrings(layerGroup, "weight_names", weights.Select(w => w.Name).ToList());
            foreach (var weight in weights)
            {
                try { Hdf5Writing.Place(layerGroup, weight.Name, Hdf5Writing.Dataset(weight.Value), _ => new H5Group()); }
                catch (InvalidOperationException e) { throw new UnsupportedLayerException(layer.ClassName, layer.Name, $"weight '{weight.Name}' cannot be stored: {e.Message}"); }
            }
        }
        var top = new H5Group();
        SetStrings(top, "weight_names", []);
        group["top_level_model_weights"] = top;
    }

    /// <summary>
    /// A string-list attribute as <c>save_attributes_to_hdf5_group</c> stores it: whole when its numpy bytes array
    /// (entries padded to the longest) fits <see cref="ObjectHeaderLimit"/>, otherwise split like
    /// <c>np.array_split</c> into the fewest chunks that fit, as <c>name0</c>, <c>name1</c>, .... An empty list
    /// is h5py's empty float64 array.
    /// </summary>
    static void SetStrings(H5Group group, string name, List<string> values)
    {
        if (values.Count == 0)
        {
            group.Attributes[name] = Array.Empty<double>();
            return;
        }
        int width = values.Max(v => Encoding.UTF8.GetByteCount(v));
        if (width > ObjectHeaderLimit)
            throw new KerasPortException($"'{values.First(v => Encoding.UTF8.GetByteCount(v) == width)}' is longer than the {ObjectHeaderLimit} bytes an HDF5 attribute entry may hold");
        int chunks = 1;
        while ((values.Count + chunks - 1) / chunks * width > ObjectHeaderLimit) chunks++;
        if (chunks == 1)
        {
            group.Attributes[name] = values.ToArray();
            return;
        }
        // np.array_split: the first (count % chunks) chunks hold one more.
        int start = 0;
        for (int i = 0; i < chunks; i++)
        {
            int size = values.Count / chunks + (i < values.Count % chunks ? 1 : 0);
            group.Attributes[$"{name}{i}"] = values.GetRange(start, size).ToArray();
            start += size;
        }
    }
}
