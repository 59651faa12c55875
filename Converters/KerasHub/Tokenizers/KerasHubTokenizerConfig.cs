namespace KerasPort.KerasHub;

/// <summary>
/// A KerasHub tokenizer's constructor arguments as <c>get_config()</c> saves them (in a <c>.keras</c> file's
/// <c>config.json</c>, a task's <c>config.preprocessor.config.tokenizer</c>, or a preset's <c>tokenizer.json</c>), with
/// keras-hub v0.31.1's defaults for absent keys. The vocabulary is never here: it is an asset file (see
/// <see cref="KerasHubTokenizerAssets"/>).
/// </summary>
public sealed record KerasHubTokenizerConfig
{
    /// <summary>The class, with its special tokens.</summary>
    public required KerasHubTokenizerClass Class { get; init; }

    /// <summary>If set, <c>tokenize</c> pads or truncates every sequence to this length; otherwise it returns ragged ids.</summary>
    public int? SequenceLength { get; init; }

    /// <summary>SentencePiece: prepend the model's bos id (<c>add_bos</c>).</summary>
    public bool AddBos { get; init; }

    /// <summary>SentencePiece: append the model's eos id (<c>add_eos</c>); truncation to <see cref="SequenceLength"/> may drop it.</summary>
    public bool AddEos { get; init; }

    /// <summary>WordPiece: lower-case (Unicode case folding) each word that is not a special token.</summary>
    public bool Lowercase { get; init; }

    /// <summary>WordPiece: strip accents (NFD, then drop nonspacing marks).</summary>
    public bool StripAccents { get; init; }

    /// <summary>WordPiece: split on whitespace and punctuation (keeping punctuation); when false each input is one word.</summary>
    public bool Split { get; init; } = true;

    /// <summary>WordPiece: also split out each CJK ideograph.</summary>
    public bool SplitOnCjk { get; init; } = true;

    /// <summary>WordPiece: the prefix of a word-continuing piece.</summary>
    public string SuffixIndicator { get; init; } = "##";

    /// <summary>WordPiece: the piece for a word that cannot be split into pieces.</summary>
    public string OovToken { get; init; } = "[UNK]";

    /// <summary>WordPiece: the constructor's extra <c>special_tokens</c>.</summary>
    public IReadOnlyList<string> ExtraSpecialTokens { get; init; } = [];

    /// <summary>WordPiece: whether special tokens written in the input text map to their ids (<c>special_tokens_in_strings</c>).</summary>
    public bool SpecialTokensInStrings { get; init; }

    /// <summary>BytePair: prepend a space to an input that does not start with one.</summary>
    public bool AddPrefixSpace { get; init; }

    /// <summary>BytePair: tokens never split (by default the class's special tokens).</summary>
    public IReadOnlyList<string> UnsplittableTokens { get; init; } = [];

    /// <summary>Reads a serialized tokenizer (<c>{"class_name", "registered_name", "config"}</c>); <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ModelFileException">Not a tokenizer object, or a setting of the wrong type.</exception>
    /// <exception cref="UnsupportedLayerException">A tokenizer class KerasPort does not know.</exception>
    public static KerasHubTokenizerConfig Parse(JsonObject serialized, string source)
    {
        var className = KerasConfigReader.Text(serialized["class_name"])
            ?? throw new ModelFileException(source, "class_name", "the tokenizer has no class_name string");
        if (!KerasHubTokenizerClass.Known.TryGetValue(className, out var tokenizerClass))
            throw new UnsupportedLayerException(className, KerasConfigReader.Text(serialized["registered_name"]) ?? className,
                $"KerasHub tokenizer class '{className}' is not supported (known: {string.Join(", ", KerasHubTokenizerClass.Known.Keys.Order(StringComparer.Ordinal))})");
        var config = serialized["config"] as JsonObject ?? throw new ModelFileException(source, "config", $"{className} has no config object");
        var read = new TokenizerConfigValues(config, source, className);
        if (read.String("proto") is not null || config["vocabulary"] is JsonArray or JsonObject or JsonValue || config["merges"] is JsonArray or JsonValue)
            throw new ModelFileException(source, "config", $"{className} names its vocabulary in the config; KerasPort reads a saved tokenizer's vocabulary from its assets only (a path there would read a file outside the model)");
        if (className == "Gemma3Tokenizer" && read.Bool("has_vision_tokens", true) is false)
            tokenizerClass = tokenizerClass with { OtherSpecialTokens = [] };
        var unsplittable = read.Strings("unsplittable_tokens");
        return new KerasHubTokenizerConfig
        {
            Class = tokenizerClass,
            SequenceLength = read.PositiveInt("sequence_length"),
            AddBos = read.Bool("add_bos", false),
            AddEos = read.Bool("add_eos", false),
            Lowercase = read.Bool("lowercase", false),
            StripAccents = read.Bool("strip_accents", false),
            Split = read.Bool("split", true),
            SplitOnCjk = read.Bool("split_on_cjk", true),
            SuffixIndicator = read.String("suffix_indicator") ?? "##",
            OovToken = read.String("oov_token") ?? "[UNK]",
            ExtraSpecialTokens = read.Strings("special_tokens") ?? [],
            SpecialTokensInStrings = read.Bool("special_tokens_in_strings", false),
            AddPrefixSpace = read.Bool("add_prefix_space", false),
            UnsplittableTokens = unsplittable ?? tokenizerClass.SpecialTokens,
        };
    }
}
