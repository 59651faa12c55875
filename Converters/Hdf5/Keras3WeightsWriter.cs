using PureHDF;

namespace KerasPort.Converters.Hdf5;

/// <summary>
/// Writes a model's weights in Keras 3's own layout (<c>model.weights.h5</c>, keras/src/saving/saving_lib.py
/// <c>_save_state</c>): <c>layers/&lt;snake_case_class&gt;[_N]/vars/&lt;i&gt;</c> with sub-objects as nested groups,
/// each <c>vars</c> group carrying the object's <c>name</c> attribute, and a root <c>vars</c> group named after the model.
/// A description with an <see cref="OptimizerState"/> also gets <c>optimizer/vars/&lt;i&gt;</c>, so Keras resumes training
/// from it.
/// </summary>
public static class Keras3WeightsWriter
{
    /// <summary>Writes the weights of <paramref name="model"/> as HDF5 to <paramref name="stream"/>.</summary>
    /// <exception cref="UnsupportedLayerException">A layer's weights have no known Keras 3 layout.</exception>
    public static void Write(ModelDescription model, Stream stream)
    {
        var root = new H5File();
        Fill(root, model);
        if (model.OptimizerState is { } optimizer)
        {
            var vars = Vars(optimizer.Name);
            for (int i = 0; i < optimizer.Variables.Count; i++) vars[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Hdf5Writing.Dataset(optimizer.Variables[i]);
            root["optimizer"] = new H5Group { ["vars"] = vars };
        }
        root.Write(stream);
    }

    static void Fill(H5Group group, ModelDescription model)
    {
        group["vars"] = Vars(model.Name);
        var layers = new H5Group();
        group["layers"] = layers;
        var used = new Dictionary<string, int>();
        foreach (var described in model.Layers)
        {
            // A legacy file's LoRA layer holds unmerged matrices; Keras 3 files hold the merged kernel.
            var layer = LegacyLora.Merged(described);
            var key = NextKey(layer.ClassName, used);
            var layerGroup = new H5Group();
            layers[key] = layerGroup;
            if (layer.Nested is { } nested)
            {
                Fill(layerGroup, nested with { Name = layer.Name });
                continue;
            }
            layerGroup["vars"] = Vars(layer.Name);
            foreach (var (path, source) in Keras3WeightPaths.Of(layer))
                Hdf5Writing.Place(layerGroup, path, Hdf5Writing.Dataset(layer.Weights[source].Value), part => part == "vars" ? Vars(layer.Name) : new H5Group());
        }
    }

    /// <summary>The per-class counter of Keras's <c>_save_container_state</c>: <c>dense</c>, <c>dense_1</c>, ...</summary>
    static string NextKey(string className, Dictionary<string, int> used)
    {
        var name = KerasConfigReader.ToSnakeCase(KerasConfigWriter.PythonClassName(className));
        int count = used.TryGetValue(name, out var seen) ? seen + 1 : 0;
        used[name] = count;
        return count == 0 ? name : $"{name}_{count}";
    }

    static H5Group Vars(string name) => new() { Attributes = new() { ["name"] = name } };
}
