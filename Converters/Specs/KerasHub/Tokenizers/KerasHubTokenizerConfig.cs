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
        read.RefuseInlineVocabulary("proto", "vocabulary", "merges");
        // Absent keys take the constructor's defaults, which are this record's.
        var defaults = new KerasHubTokenizerConfig { Class = tokenizerClass, SequenceLength = read.PositiveInt("sequence_length") };
        return tokenizerClass.Family switch
        {
            TokenizerFamily.SentencePiece => SentencePiece(read, defaults),
            TokenizerFamily.WordPiece => WordPiece(read, defaults),
            _ => BytePair(read, defaults),
        };
    }

    /// <summary>
    /// keras_hub/src/tokenizers/sentence_piece_tokenizer.py <c>__init__(proto=None, sequence_length=None, dtype, add_bos=False,
    /// add_eos=False)</c>; models/gemma3/gemma3_tokenizer.py adds <c>has_vision_tokens=True</c>.
    /// </summary>
    static KerasHubTokenizerConfig SentencePiece(TokenizerConfigValues read, KerasHubTokenizerConfig defaults)
    {
        var tokenizerClass = defaults.Class;
        if (tokenizerClass.Name == "Gemma3Tokenizer" && !read.Bool("has_vision_tokens", true))
            tokenizerClass = tokenizerClass with { OtherSpecialTokens = [] };
        return defaults with
        {
            Class = tokenizerClass,
            AddBos = read.Bool("add_bos", defaults.AddBos),
            AddEos = read.Bool("add_eos", defaults.AddEos),
        };
    }

    /// <summary>
    /// keras_hub/src/tokenizers/word_piece_tokenizer.py <c>__init__(vocabulary=None, sequence_length=None, lowercase=False,
    /// strip_accents=False, split=True, split_on_cjk=True, suffix_indicator="##", oov_token="[UNK]", special_tokens=None,
    /// special_tokens_in_strings=False, dtype)</c>.
    /// </summary>
    static KerasHubTokenizerConfig WordPiece(TokenizerConfigValues read, KerasHubTokenizerConfig defaults) =>
        defaults with
        {
            Lowercase = read.Bool("lowercase", defaults.Lowercase),
            StripAccents = read.Bool("strip_accents", defaults.StripAccents),
            Split = read.Bool("split", defaults.Split),
            SplitOnCjk = read.Bool("split_on_cjk", defaults.SplitOnCjk),
            SuffixIndicator = read.NonEmptyString("suffix_indicator") ?? defaults.SuffixIndicator,
            OovToken = read.NonEmptyString("oov_token") ?? defaults.OovToken,
            ExtraSpecialTokens = read.Strings("special_tokens") ?? defaults.ExtraSpecialTokens,
            SpecialTokensInStrings = read.Bool("special_tokens_in_strings", defaults.SpecialTokensInStrings),
        };

    /// <summary>
    /// keras_hub/src/tokenizers/byte_pair_tokenizer.py <c>__init__(vocabulary=None, merges=None, sequence_length=None,
    /// add_prefix_space=False, unsplittable_tokens=None, dtype)</c>: no unsplittable tokens means the class's special tokens.
    /// </summary>
    static KerasHubTokenizerConfig BytePair(TokenizerConfigValues read, KerasHubTokenizerConfig defaults) =>
        defaults with
        {
            AddPrefixSpace = read.Bool("add_prefix_space", defaults.AddPrefixSpace),
            UnsplittableTokens = read.Strings("unsplittable_tokens") ?? defaults.Class.SpecialTokens,
        };
}
