namespace KerasPort.KerasHub;

/// <summary>Typed reads of a KerasHub config object; a value of the wrong type is an error naming the key.</summary>
internal sealed class TokenizerConfigValues(JsonObject config, string source, string className)
{
    ModelFileException Wrong(string key, string expected) =>
        new(source, $"config.{key}", $"{className}: '{key}' should be {expected}, not {config[key]?.ToJsonString() ?? "null"}");

    public bool Bool(string key, bool fallback) => config[key] switch
    {
        null => fallback,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        _ => throw Wrong(key, "true or false"),
    };

    public string? String(string key) => config[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw Wrong(key, "a string"),
    };

    /// <summary>A nonempty string, or null when absent.</summary>
    public string? NonEmptyString(string key) => String(key) switch
    {
        "" => throw Wrong(key, "a nonempty string"),
        var s => s,
    };

    /// <summary>
    /// Refuses a vocabulary given in the config (<paramref name="keys"/>: <c>proto</c>, <c>vocabulary</c>, <c>merges</c>,
    /// which <c>get_config</c> saves as null): a saved tokenizer keeps it in its assets, and a path there would read a
    /// file outside the model.
    /// </summary>
    public void RefuseInlineVocabulary(params string[] keys)
    {
        foreach (var key in keys)
            if (config[key] is not null)
                throw new ModelFileException(source, $"config.{key}", $"{className} names its vocabulary in the config ('{key}'); KerasPort reads a saved tokenizer's vocabulary from its assets only (a path there would read a file outside the model)");
    }

    public int? PositiveInt(string key) => config[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<int>(out var i) && i > 0 => i,
        JsonValue v when v.TryGetValue<double>(out var d) && d == Math.Floor(d) && d is > 0 and <= int.MaxValue => (int)d,
        _ => throw Wrong(key, "a positive integer or null"),
    };

    public IReadOnlyList<string>? Strings(string key) => config[key] switch
    {
        null => null,
        JsonArray a when a.All(e => e is JsonValue v && v.TryGetValue<string>(out _)) => a.Select(e => (string)e!).ToList(),
        _ => throw Wrong(key, "a list of strings or null"),
    };
}
