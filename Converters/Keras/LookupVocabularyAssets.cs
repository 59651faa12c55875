using KerasPort.Converters.Hdf5;

namespace KerasPort.Converters.Keras;

/// <summary>
/// The vocabularies of adapted lookup layers. Keras keeps a vocabulary passed to the constructor in the config, but
/// writes an adapted one (or one read from a file) as the asset <c>assets/&lt;layer path&gt;/vocabulary.txt</c>: the
/// vocabulary with its special tokens, one per line (keras/src/layers/preprocessing/index_lookup.py
/// <c>save_assets</c>/<c>load_assets</c>; the layer path is the weights' <c>layers/&lt;key&gt;</c>, saving_lib.py). This
/// moves such a vocabulary into the layer's config (and a tf_idf layer's stored <c>idf_weights</c> beside it), where
/// Keras accepts it too, so the runtime and every writer see one form.
/// </summary>
internal static class LookupVocabularyAssets
{
    static readonly HashSet<string> LookupClasses = new(StringComparer.Ordinal) { "StringLookup", "IntegerLookup", "TextVectorization" };

    /// <summary>The model with each lookup layer's asset vocabulary in its config; <paramref name="readText"/> reads an archive member or returns null.</summary>
    public static ModelDescription Attach(ModelDescription model, Func<string, string?> readText) => Attach(model, readText, "layers/");

    static ModelDescription Attach(ModelDescription model, Func<string, string?> readText, string prefix)
    {
        var used = new Dictionary<string, int>();
        var layers = new List<LayerDescription>();
        foreach (var layer in model.Layers)
        {
            // Keys are snake-cased class names: only word characters, so a path built from them stays in assets/.
            var key = Keras3WeightsReader.NextKey(layer.ClassName, used);
            if (layer.Nested is { } nested)
                layers.Add(layer with { Nested = Attach(nested, readText, $"{prefix}{key}/layers/") });
            else if (LookupClasses.Contains(layer.ClassName) && layer.Config["vocabulary"] is null
                && readText($"assets/{prefix}{key}/vocabulary.txt") is { } text)
                layers.Add(layer with { Config = WithVocabulary(layer, text) });
            else
                layers.Add(layer);
        }
        return model with { Layers = layers };
    }

    static JsonObject WithVocabulary(LayerDescription layer, string text)
    {
        var lines = SplitLines(text);
        // load_assets drops trailing empty lines only.
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        bool integers = layer.ClassName == "IntegerLookup" && (string?)layer.Config["vocabulary_dtype"] is null or "int64" or "int32";
        var config = (JsonObject)layer.Config.DeepClone();
        config["vocabulary"] = new JsonArray(lines.Select(line => integers
            ? JsonValue.Create(long.TryParse(line, out var v) ? v : throw new KerasPortException($"layer '{layer.Name}' (IntegerLookup): its vocabulary asset holds '{line}', not an integer"))
            : (JsonNode)JsonValue.Create(line)).ToArray());
        // The stored idf_weights cover the special tokens too, as the vocabulary does (pad_to_max_tokens pads them further).
        if ((string?)config["output_mode"] is "tf_idf" or "tf-idf" && config["idf_weights"] is null
            && layer.Weights.FirstOrDefault(w => w.Name.EndsWith("idf_weights", StringComparison.Ordinal)) is { } idf)
            config["idf_weights"] = new JsonArray(idf.Value.ToDoubles().Take(lines.Count).Select(w => (JsonNode)JsonValue.Create(w)).ToArray());
        return config;
    }

    /// <summary>Python's <c>str.splitlines()</c>: \n, \r, \r\n, \v, \f, \x1c-\x1e, \x85, \u2028 and \u2029 end a line.</summary>
    static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is not ('\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029')) continue;
            lines.Add(text[start..i]);
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
            start = i + 1;
        }
        if (start < text.Length) lines.Add(text[start..]);
        return lines;
    }
}
