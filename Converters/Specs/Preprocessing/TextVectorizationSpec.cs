namespace KerasPort.Specs.Preprocessing;

/// <summary>
/// Keras <c>TextVectorization</c> (keras/src/layers/preprocessing/text_vectorization.py): standardize, split, form
/// n-grams, then look the tokens up (mask <c>""</c> at 0, <c>[UNK]</c> at 1 by default).
/// </summary>
/// <param name="Lookup">The lookup table's config.</param>
/// <param name="Standardize">The standardize step, <c>lower_and_strip_punctuation</c> by default; null when turned off.</param>
/// <param name="Split">The split step, <c>whitespace</c> by default; null when turned off.</param>
/// <param name="Ngrams">The n-gram widths (an integer n means 1..n), or null.</param>
/// <param name="OutputSequenceLength">The padded length of <c>int</c> outputs, or null for the longest row.</param>
public sealed record TextVectorizationSpec(IndexLookupConfig Lookup, TextStep? Standardize, TextStep? Split, int[]? Ngrams, int? OutputSequenceLength)
    : LayerSpec, ILayerSpec<TextVectorizationSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["TextVectorization"];

    /// <inheritdoc />
    public static TextVectorizationSpec Read(LayerReader layer)
    {
        if (layer.Bool("ragged", false))
            throw new UnsupportedLayerException(layer.ClassName, layer.Name, "ragged=True gives TensorFlow RaggedTensors, which only the TensorFlow backend has");
        var lookup = IndexLookupConfig.Read(layer, defaultMask: "", defaultOov: "[UNK]");
        var ngrams = layer.Config["ngrams"] switch
        {
            null => null,
            JsonValue n => Enumerable.Range(1, (int)n.GetValue<double>()).ToArray(),
            JsonArray widths => widths.Select(w => (int)w!.GetValue<double>()).ToArray(),
            var other => throw new UnsupportedLayerException(layer.ClassName, layer.Name, $"ngrams {other.ToJsonString()} is neither an integer nor a list of integers"),
        };
        return new(lookup, TextStep.Read(layer, "standardize", "lower_and_strip_punctuation", "lower", "strip_punctuation", "lower_and_strip_punctuation"),
            TextStep.Read(layer, "split", "whitespace", "whitespace", "character"), ngrams,
            layer.Config["output_sequence_length"] is JsonValue ? layer.Int("output_sequence_length", 0) : null);
    }
}

/// <summary>
/// A <c>TextVectorization</c> step: one of Keras's built-in names, or a custom Python function (never run), known by
/// its names (registered <c>package&gt;name</c>, the name, and the name without its package).
/// </summary>
/// <param name="BuiltIn">The built-in step's name, or null for a custom function.</param>
/// <param name="FunctionNames">A custom function's names.</param>
/// <param name="Description">How an error names the step.</param>
public sealed record TextStep(string? BuiltIn, string[] FunctionNames, string Description)
{
    /// <summary>
    /// Reads <paramref name="key"/>: absent, Keras's <paramref name="fallback"/>; an explicit null turns the step off.
    /// </summary>
    public static TextStep? Read(LayerReader layer, string key, string fallback, params string[] builtIns)
    {
        var node = layer.Config.ContainsKey(key) ? layer.Config[key] : fallback;
        if (node is null) return null;
        if (node is JsonValue v && v.TryGetValue<string>(out var name) && builtIns.Contains(name)) return new(name, [], $"'{name}'");
        var names = Names(node).ToArray();
        return new(null, names, $"'{names.FirstOrDefault() ?? node.ToJsonString()}'");
    }

    static IEnumerable<string> Names(JsonNode node)
    {
        var names = node is JsonObject function
            ? new[] { KerasConfigReader.Text(function["registered_name"]), KerasConfigReader.Text(function["config"]) }
            : [KerasConfigReader.Text(node)];
        foreach (var name in names.OfType<string>().Distinct())
        {
            yield return name;
            if (name.Contains('>')) yield return name[(name.LastIndexOf('>') + 1)..];
        }
    }
}
