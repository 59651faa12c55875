namespace KerasPort.Converters.Keras;

/// <summary>
/// Rewrites Keras 1 and Keras 2 layer configs into the Keras 3 vocabulary, so that layers read one dialect:
/// class renames (<c>Convolution2D</c> → <c>Conv2D</c>, <c>Merge</c> → <c>Add</c>/<c>Concatenate</c>/...,
/// <c>TimeDistributedDense</c> → <c>TimeDistributed(Dense)</c>) and key renames (<c>nb_filter</c> → <c>filters</c>,
/// <c>border_mode</c> → <c>padding</c>, <c>dim_ordering</c> → <c>data_format</c>, <c>output_dim</c> → <c>units</c>, ...).
/// The mapping mirrors Keras 2's own Keras 1 converters (keras/legacy/interfaces.py in Keras 2.x).
/// </summary>
public static partial class LegacyConfigNormalizer
{
    static readonly Dictionary<string, string> ClassRenames = new(StringComparer.Ordinal)
    {
        ["Convolution1D"] = "Conv1D", ["Convolution2D"] = "Conv2D", ["Convolution3D"] = "Conv3D",
        ["AtrousConvolution1D"] = "Conv1D", ["AtrousConvolution2D"] = "Conv2D", ["Deconvolution2D"] = "Conv2DTranspose",
        ["Deconvolution3D"] = "Conv3DTranspose", ["SeparableConvolution2D"] = "SeparableConv2D",
    };

    static readonly Dictionary<string, string> MergeModes = new(StringComparer.Ordinal)
    {
        ["sum"] = "Add", ["mul"] = "Multiply", ["concat"] = "Concatenate", ["ave"] = "Average", ["max"] = "Maximum",
        ["dot"] = "Dot", ["cos"] = "Dot",
    };

    static readonly HashSet<string> Recurrent = ["LSTM", "GRU", "SimpleRNN", "CuDNNLSTM", "CuDNNGRU", "ConvLSTM2D"];

    /// <summary>
    /// Returns the Keras 3 class name and config for a layer read from a file whose backend is
    /// <paramref name="backend"/> (Keras 1 <c>dim_ordering: default</c> means channels_first under Theano).
    /// Configs already in Keras 3 form come back unchanged.
    /// </summary>
    /// <param name="className">The class name in the file.</param>
    /// <param name="config">The layer config in the file.</param>
    /// <param name="backend">The backend that wrote the file.</param>
    /// <param name="defaultDataFormat">The data_format the model's other Keras 1 layers state, for spatial layers that state none.</param>
    public static (string ClassName, JsonObject Config) Normalize(string className, JsonObject config, string? backend, string? defaultDataFormat = null)
    {
        var c = (JsonObject)config.DeepClone();
        if (className == "Merge") return NormalizeMerge(c);
        if (className == "TimeDistributedDense")
        {
            var (_, dense) = Normalize("Dense", c, backend, defaultDataFormat);
            var name = (string?)c["name"];
            return ("TimeDistributed", new JsonObject { ["name"] = name, ["layer"] = new JsonObject { ["class_name"] = "Dense", ["config"] = dense } });
        }
        className = ClassRenames.GetValueOrDefault(className, className);

        Rename(c, "border_mode", "padding");
        Rename(c, "subsample", "strides");
        Rename(c, "subsample_length", "strides", single: true);
        Rename(c, "stride", "strides", single: true);
        Rename(c, "pool_length", "pool_size", single: true);
        Rename(c, "atrous_rate", "dilation_rate");
        Rename(c, "nb_filter", "filters");
        Rename(c, "input_dtype", "dtype");
        Rename(c, "bias", "use_bias");
        Rename(c, "init", "kernel_initializer");
        Rename(c, "W_regularizer", "kernel_regularizer");
        Rename(c, "b_regularizer", "bias_regularizer");
        Rename(c, "W_constraint", "kernel_constraint");
        Rename(c, "b_constraint", "bias_constraint");
        Rename(c, "p", "rate");
        if (c["filter_length"] is { } length) { c.Remove("filter_length"); c["kernel_size"] = new JsonArray(length.DeepClone()); }
        if (c["nb_row"] is { } rows && c["nb_col"] is { } cols)
        {
            c.Remove("nb_row");
            c.Remove("nb_col");
            c["kernel_size"] = new JsonArray(rows.DeepClone(), cols.DeepClone());
        }
        if (c["dim_ordering"] is JsonValue ordering)
        {
            c.Remove("dim_ordering");
            c["data_format"] = (string?)ordering switch
            {
                "th" => "channels_first",
                "tf" => "channels_last",
                _ => backend == "theano" ? "channels_first" : "channels_last",
            };
        }
        else if (c["data_format"] is null && defaultDataFormat is not null && SpatialClass().IsMatch(className))
            c["data_format"] = defaultDataFormat;
        if (className == "Dense" || Recurrent.Contains(className)) Rename(c, "output_dim", "units");
        if (Recurrent.Contains(className))
        {
            Rename(c, "inner_activation", "recurrent_activation");
            Rename(c, "inner_init", "recurrent_initializer");
            Rename(c, "U_regularizer", "recurrent_regularizer");
            Rename(c, "dropout_W", "dropout");
            Rename(c, "dropout_U", "recurrent_dropout");
        }
        if (className == "LeakyReLU") Rename(c, "alpha", "negative_slope");
        if (className == "GaussianNoise") Rename(c, "sigma", "stddev");
        foreach (var key in new[] { "layer", "forward_layer", "backward_layer" })
            if (c[key] is JsonObject { } inner && (string?)inner["class_name"] is { } innerClass && inner["config"] is JsonObject innerConfig)
            {
                var (normalizedClass, normalizedConfig) = Normalize(innerClass, innerConfig, backend, defaultDataFormat);
                c[key] = new JsonObject { ["class_name"] = normalizedClass, ["config"] = normalizedConfig };
            }
        return (className, c);
    }

    /// <summary>
    /// The data_format most of a Keras 1 model's layers state through <c>dim_ordering</c>, or null. A Keras 1 layer
    /// without one followed the user's keras.json, which the file does not record; its siblings are the best witness.
    /// </summary>
    public static string? PrevailingDataFormat(JsonArray layers)
    {
        var stated = layers.Select(l => (string?)(l?["config"] as JsonObject)?["dim_ordering"]).Where(o => o is "th" or "tf").ToList();
        if (stated.Count == 0) return null;
        return stated.Count(o => o == "th") * 2 > stated.Count ? "channels_first" : "channels_last";
    }

    [System.Text.RegularExpressions.GeneratedRegex("^(Conv|Convolution|AtrousConvolution|Deconvolution|SeparableConv|MaxPooling|AveragePooling|GlobalAveragePooling|GlobalMaxPooling|UpSampling|ZeroPadding|Cropping)[123]D")]
    private static partial System.Text.RegularExpressions.Regex SpatialClass();

    /// <summary>Keras 1's <c>Merge</c> layer becomes the Keras 2+ merge layer of its mode.</summary>
    static (string, JsonObject) NormalizeMerge(JsonObject c)
    {
        var mode = (string?)c["mode"] ?? "sum";
        if (!MergeModes.TryGetValue(mode, out var className))
            throw new FormatException($"Keras 1 Merge mode '{mode}' is not supported (a Python function mode cannot be loaded)");
        var merged = new JsonObject { ["name"] = c["name"]?.DeepClone() };
        if (className == "Concatenate") merged["axis"] = c["concat_axis"]?.DeepClone() ?? -1;
        if (className == "Dot")
        {
            merged["axes"] = c["dot_axes"]?.DeepClone() ?? -1;
            merged["normalize"] = mode == "cos";
        }
        return (className, merged);
    }

    static void Rename(JsonObject config, string from, string to, bool single = false)
    {
        if (config[from] is not { } value || config.ContainsKey(to)) return;
        config.Remove(from);
        config[to] = single && value is JsonValue ? new JsonArray(value.DeepClone()) : value.DeepClone();
    }
}
