using System.Globalization;
using System.Text.Json.Nodes;
using KerasPort.Converters.Model;

namespace KerasPort.Converters.Keras;

/// <summary>
/// Reads one layer of a <see cref="LayerDescription"/> the way Keras does: typed config values (numbers given as
/// JSON numbers or strings, single values standing for lists of one, activations as names or Keras 3 serialized
/// functions, dtype policies) and weights checked against the shapes the config implies. The one reading of a layer
/// that both the runtime (its layer context) and the file writers (the ONNX lowerings) build on, so that a config
/// means the same thing to every consumer.
/// </summary>
public abstract class LayerReader
{
    /// <summary>Reads <paramref name="description"/>.</summary>
    protected LayerReader(LayerDescription description) => Description = description;

    /// <summary>The layer as the file describes it.</summary>
    public LayerDescription Description { get; }

    /// <summary>Layer name.</summary>
    public string Name => Description.Name;

    /// <summary>Keras class name.</summary>
    public string ClassName => Description.ClassName;

    /// <summary>The config object.</summary>
    public JsonObject Config => Description.Config;

    /// <summary>The layer's weights in Keras order.</summary>
    public virtual IReadOnlyList<WeightArray> Weights => Description.Weights;

    /// <summary>The Keras major version that wrote the model (1, 2 or 3): decides generation-specific defaults.</summary>
    public abstract int KerasMajor { get; }

    /// <summary>A reader of <paramref name="description"/> alone, written by Keras <paramref name="kerasMajor"/> (for writers that need no more).</summary>
    public static LayerReader Of(LayerDescription description, int kerasMajor) => new DescriptionReader(description, kerasMajor);

    sealed class DescriptionReader(LayerDescription description, int kerasMajor) : LayerReader(description)
    {
        public override int KerasMajor => kerasMajor;
    }

    // ---- config ----

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

    /// <summary>An integer list config value (a JSON list, or a single integer meaning a list of one; a null entry reads as -1); null if absent.</summary>
    public int[]? Ints(string key) => Config[key] switch
    {
        JsonArray list => list.Select(n => n is null ? -1 : (int)Number((JsonValue)n, key)).ToArray(),
        JsonValue single => [(int)Number(single, key)],
        _ => null,
    };

    /// <summary>A float list config value (a list or a single number); null if absent.</summary>
    public double[]? Doubles(string key) => Config[key] switch
    {
        JsonArray list => list.Select(n => Number((JsonValue)n!, key)).ToArray(),
        JsonValue single => [Number(single, key)],
        _ => null,
    };

    /// <summary>
    /// The name of the activation under config key <paramref name="key"/> (a string, or a serialized function in
    /// Keras 3); <c>linear</c> when absent.
    /// </summary>
    public string ActivationName(string key = "activation") => Config[key] switch
    {
        JsonValue v => (string?)v,
        JsonObject { } o when o["config"] is JsonValue named => (string?)named,
        JsonObject o => (string?)o["config"]?["name"] ?? (string?)o["class_name"],
        _ => null,
    } ?? "linear";

    /// <summary>The dtype the config names (string or DTypePolicy), default float32.</summary>
    public string DTypeName => KerasConfigReader.DTypeName(Config["dtype"]) ?? "float32";

    double Number(JsonValue value, string key)
    {
        if (value.TryGetValue<double>(out var d)) return d;
        if (value.TryGetValue<string>(out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out d)) return d;
        throw ConfigError(key, $"not a number: {value.ToJsonString()}");
    }

    /// <summary>A typed error naming this layer and config key <paramref name="key"/>.</summary>
    public LayerConfigException ConfigError(string key, string problem) => new(ClassName, Name, key, problem);

    /// <summary>
    /// A string config value that must be one of <paramref name="allowed"/> (compared case-insensitively, returned
    /// in the spelling of <paramref name="allowed"/>); <paramref name="fallback"/> when absent.
    /// </summary>
    public string OneOf(string key, string fallback, params string[] allowed)
    {
        var value = String(key) ?? fallback;
        return allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase))
            ?? throw ConfigError(key, $"'{value}' is not one of {string.Join(", ", allowed)}");
    }

    /// <summary>An integer config value of at least <paramref name="minimum"/>; <paramref name="fallback"/> when absent.</summary>
    public int IntAtLeast(string key, int fallback, int minimum)
    {
        int value = Int(key, fallback);
        return value >= minimum ? value : throw ConfigError(key, $"must be at least {minimum}, got {value}");
    }

    /// <summary>A float config value of at least <paramref name="minimum"/>; <paramref name="fallback"/> when absent.</summary>
    public double DoubleAtLeast(string key, double fallback, double minimum)
    {
        double value = Double(key, fallback);
        return value >= minimum ? value : throw ConfigError(key, $"must be at least {minimum}, got {value}");
    }

    /// <summary>True for <c>data_format='channels_first'</c>; Keras's default is channels_last.</summary>
    public bool ChannelsFirst => OneOf("data_format", "channels_last", "channels_last", "channels_first") == "channels_first";

    // ---- weights ----

    /// <summary>
    /// True when weights the file lacks are created rather than being an error; then a layer without any weights
    /// passes <see cref="ExpectWeightCount"/>.
    /// </summary>
    protected virtual bool CreatesMissingWeights => false;

    /// <summary>Fails with a typed error unless the layer has exactly <paramref name="count"/> weights.</summary>
    public void ExpectWeightCount(int count)
    {
        if (Weights.Count != count && !(CreatesMissingWeights && Weights.Count == 0))
            throw new WeightMismatchException(Name, Weights.Count > count ? Weights[count].Name : "(missing)",
                $"{ClassName} expects {count} weight arrays, the file has {Weights.Count}");
    }

    /// <summary>
    /// Where each of <paramref name="roles"/> is among the weights, given that Keras saves them in that order
    /// (a layer's <c>variable_serialization_spec</c>): a Keras 3 file numbers them <c>vars/0..n</c> in that order, a
    /// legacy file names them and lists the trainable ones first (keras/src/legacy/saving/legacy_h5_format.py).
    /// </summary>
    /// <exception cref="WeightMismatchException">The count differs, or a legacy file lacks a role by name.</exception>
    public int[] WeightIndices(IReadOnlyList<string> roles)
    {
        if (Weights.Count != roles.Count)
            throw new WeightMismatchException(Name, Weights.Count > roles.Count ? Weights[roles.Count].Name : "(missing)",
                $"{ClassName} expects {roles.Count} weight arrays ({string.Join(", ", roles)}), the file has {Weights.Count}");
        if (Hdf5.Keras3WeightPaths.IsKeras3Layout(Weights.Select(w => w.Name))) return [.. Enumerable.Range(0, roles.Count)];
        var leaves = Weights.Select(w => Hdf5.Keras3WeightPaths.Leaf(w.Name)).ToList();
        return roles.Select(role => leaves.IndexOf(role) is var i and >= 0 ? i
            : throw new WeightMismatchException(Name, role, $"{ClassName} needs a '{role}' weight, the file has {string.Join(", ", leaves)}")).ToArray();
    }

    /// <summary>
    /// Weight <paramref name="index"/>, checked against <paramref name="expectedShape"/> (entries of -1 match any
    /// size); a typed error names the layer, the weight and both shapes otherwise.
    /// </summary>
    protected WeightArray CheckedWeight(int index, string role, long[] expectedShape)
    {
        if (index >= Weights.Count)
            throw new WeightMismatchException(Name, role, $"{ClassName} needs a '{role}' weight (#{index}), the file has {Weights.Count} weight arrays");
        var weight = Weights[index];
        var shape = weight.Value.Shape;
        bool fits = shape.Length == expectedShape.Length && shape.Zip(expectedShape).All(p => p.Second < 0 || p.First == p.Second);
        if (!fits)
            throw new WeightMismatchException(Name, weight.Name,
                $"'{role}' has shape ({string.Join(", ", shape)}), the layer config implies ({string.Join(", ", expectedShape.Select(d => d < 0 ? "?" : d.ToString(CultureInfo.InvariantCulture)))})");
        return weight;
    }
}
