namespace KerasPort.KerasHub;

/// <summary>
/// A KerasHub tokenizer (keras_hub/src/tokenizers/tokenizer.py): strings to token ids and back, as keras-hub v0.31.1
/// does it, on Microsoft.ML.Tokenizers. Load one from a <c>.keras</c> file or a preset folder with
/// <see cref="Load"/>. Thread-safe: a tokenizer is immutable once made.
/// </summary>
/// <example>
/// <code>
/// var tokenizer = KerasHubTokenizer.Load("gemma.keras");
/// int[][] ids = tokenizer.Tokenize(["the quick brown fox"]);
/// string text = tokenizer.Detokenize(ids[0]);
/// </code>
/// </example>
public abstract class KerasHubTokenizer
{
    private protected KerasHubTokenizer(KerasHubTokenizerConfig config) => Config = config;

    /// <summary>The constructor arguments the tokenizer was saved with.</summary>
    public KerasHubTokenizerConfig Config { get; }

    /// <summary>The KerasHub class name, e.g. <c>GemmaTokenizer</c>.</summary>
    public string ClassName => Config.Class.Name;

    /// <summary>The dense length of <see cref="Tokenize(IReadOnlyList{string})"/>'s rows, or null for ragged rows.</summary>
    public int? SequenceLength => Config.SequenceLength;

    /// <summary>The number of ids.</summary>
    public abstract int VocabularySize { get; }

    /// <summary>The id of the class's start token (e.g. Gemma's <c>&lt;bos&gt;</c>), or null if the class has none.</summary>
    public int? StartTokenId => SpecialId(Config.Class.StartToken);

    /// <summary>The id of the class's end token (e.g. Gemma's <c>&lt;eos&gt;</c>), or null if the class has none.</summary>
    public int? EndTokenId => SpecialId(Config.Class.EndToken);

    /// <summary>The id keras-hub pads with: the pad token's, the class's fixed one, or 0.</summary>
    public int PadTokenId => SpecialId(Config.Class.PadToken) ?? Config.Class.FixedPadId ?? 0;

    /// <summary>The ids of the class's registered special tokens (keras-hub's <c>special_token_ids</c>), which generation output drops.</summary>
    public IReadOnlySet<int> SpecialTokenIds => Config.Class.SpecialTokens.Select(TokenToId).ToHashSet();

    /// <summary>The token of <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is not in [0, <see cref="VocabularySize"/>).</exception>
    public abstract string IdToToken(int id);

    /// <summary>The id of <paramref name="token"/>; what an unknown token gives depends on the family (SentencePiece: the <c>&lt;unk&gt;</c> id).</summary>
    /// <exception cref="ArgumentException">WordPiece and BytePair: the token is not in the vocabulary (keras-hub raises too).</exception>
    public abstract int TokenToId(string token);

    /// <summary>
    /// Token ids of each text: padded with <see cref="PadTokenId"/> and truncated to <see cref="SequenceLength"/> when it
    /// is set (keras-hub's dense output), else one row per text of its own length.
    /// </summary>
    public int[][] Tokenize(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return texts.Select(Tokenize).ToArray();
    }

    /// <summary>Token ids of one text (see <see cref="Tokenize(IReadOnlyList{string})"/>).</summary>
    public int[] Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = Encode(text);
        if (SequenceLength is not { } length) return ids;
        var dense = Enumerable.Repeat(DensePadId, length).ToArray();
        ids.AsSpan(0, Math.Min(ids.Length, length)).CopyTo(dense);
        return dense;
    }

    /// <summary>The tokens of one text, unpadded (keras-hub's output with <c>dtype="string"</c>).</summary>
    public string[] TokenizeToTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Encode(text).Select(IdToToken).ToArray();
    }

    /// <summary>The text of each row of ids.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is not in the vocabulary.</exception>
    public string[] Detokenize(IReadOnlyList<IReadOnlyList<int>> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return ids.Select(Detokenize).ToArray();
    }

    /// <summary>The text of one row of ids (the family's own rules: SentencePiece drops control pieces and writes <c>&lt;unk&gt;</c> as " ⁇ ").</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is not in the vocabulary.</exception>
    public string Detokenize(IReadOnlyList<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        foreach (var id in ids) CheckId(id);
        return Decode(ids);
    }

    /// <summary>Loads the tokenizer of a KerasHub <c>.keras</c> file (a tokenizer, a preprocessor, or a task with one) or preset folder.</summary>
    /// <exception cref="ModelFileException">No tokenizer in it, or a malformed config or vocabulary (named).</exception>
    /// <exception cref="UnsupportedLayerException">A tokenizer class KerasPort does not know.</exception>
    public static KerasHubTokenizer Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var files = KerasHubTokenizerFiles.Read(path);
        return Create(files.Tokenizer, files.Assets, path);
    }

    /// <summary>Makes a tokenizer from its config and vocabulary; <paramref name="source"/> names them in errors.</summary>
    /// <exception cref="ModelFileException">The vocabulary lacks a special token of the class, or does not fit the family.</exception>
    public static KerasHubTokenizer Create(KerasHubTokenizerConfig config, KerasHubTokenizerAssets assets, string source = "tokenizer")
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(assets);
        KerasHubTokenizer tokenizer = config.Class.Family switch
        {
            TokenizerFamily.SentencePiece => new SentencePieceKerasHubTokenizer(config, assets.SentencePieceProto ?? throw Missing(source, "vocabulary.spm"), source),
            TokenizerFamily.WordPiece => new WordPieceKerasHubTokenizer(config, assets.WordPieceVocabulary ?? throw Missing(source, "vocabulary.txt"), source),
            _ => new BytePairKerasHubTokenizer(config, assets.BytePairVocabulary ?? throw Missing(source, "vocabulary.json"),
                assets.BytePairMerges ?? throw Missing(source, "merges.txt"), source),
        };
        // tokenizer.py _update_special_token_ids: every special token must be in the vocabulary.
        foreach (var token in config.Class.SpecialTokens)
            if (!tokenizer.Contains(token))
                throw new ModelFileException(source, null, $"{config.Class.Name}: special token '{token}' is not in the vocabulary");
        return tokenizer;
    }

    static ModelFileException Missing(string source, string asset) => new(source, asset, "the tokenizer's vocabulary asset is missing");

    /// <summary>The ragged ids of one text (no padding).</summary>
    private protected abstract int[] Encode(string text);

    /// <summary>The text of ids already checked to be in range.</summary>
    private protected abstract string Decode(IReadOnlyList<int> ids);

    /// <summary>Whether <paramref name="token"/> is in the vocabulary.</summary>
    private protected abstract bool Contains(string token);

    /// <summary>The id a dense row is padded with.</summary>
    private protected virtual int DensePadId => PadTokenId;

    private protected void CheckId(int id)
    {
        if (id < 0 || id >= VocabularySize)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"{ClassName}: id must be in [0, {VocabularySize - 1}]");
    }

    int? SpecialId(string? token) => token is null ? null : TokenToId(token);
}
