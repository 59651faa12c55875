using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MlTokenizers = Microsoft.ML.Tokenizers;

namespace KerasPort.KerasHub;

/// <summary>
/// keras_hub/src/tokenizers/word_piece_tokenizer.py: keras-hub's own pre-tokenization (<c>pretokenize</c>: CJK
/// split, accent stripping, whitespace/punctuation split keeping punctuation and special tokens, case folding), then
/// the WordPiece algorithm of tensorflow-text's FastWordpieceTokenizer, here Microsoft.ML.Tokenizers'
/// WordPieceTokenizer run word by word. Dense rows pad with 0 (<c>RaggedTensor.to_tensor</c>), whatever the pad token.
/// </summary>
internal sealed class WordPieceKerasHubTokenizer : KerasHubTokenizer
{
    // word_piece_tokenizer.py's regexes, in RE2 syntax there: RE2's \s is [\t\n\f\r ] only.
    const string Whitespace = @"[\t\n\f\r ]|\p{Cc}|\p{Cf}";
    const string Punctuation = @"[!-/]|[:-@]|[\[-`]|[{-~]|\p{P}";
    // bert's CJK blocks; the ones past U+FFFF (U+20000-2A6DF, 2A700-2CEAF, 2F800-2FA1F) as UTF-16 surrogate pairs.
    const string Cjk = @"[\u4E00-\u9FFF]|[\u3400-\u4DBF]|[\uF900-\uFAFF]|\uD840[\uDC00-\uDFFF]|[\uD841-\uD868][\uDC00-\uDFFF]|\uD869[\uDC00-\uDEDF]|\uD869[\uDF00-\uDFFF]|[\uD86A-\uD872][\uDC00-\uDFFF]|\uD873[\uDC00-\uDEAF]|\uD87E[\uDC00-\uDE1F]";

    readonly IReadOnlyList<string> _vocabulary;
    readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    readonly MlTokenizers.WordPieceTokenizer _model;
    readonly Regex? _splitter;
    readonly Regex _kept;
    readonly HashSet<string> _specialTokens;

    public WordPieceKerasHubTokenizer(KerasHubTokenizerConfig config, IReadOnlyList<string> vocabulary, string source) : base(config)
    {
        _vocabulary = vocabulary;
        // token_to_id is list.index: the first occurrence wins.
        for (int id = 0; id < vocabulary.Count; id++) _ids.TryAdd(vocabulary[id], id);
        if (!_ids.ContainsKey(config.OovToken))
            throw new ModelFileException(source, "vocabulary.txt", $"{config.Class.Name}: oov_token '{config.OovToken}' is not in the vocabulary");
        var vocabularyFile = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', vocabulary) + "\n"));
        _model = MlTokenizers.WordPieceTokenizer.Create(vocabularyFile, new MlTokenizers.WordPieceOptions
        {
            UnknownToken = config.OovToken,
            ContinuingSubwordPrefix = config.SuffixIndicator,
            PreTokenizer = WholeWord.Instance,
        });
        _specialTokens = config.SpecialTokensInStrings ? [.. config.Class.SpecialTokens, .. config.ExtraSpecialTokens] : [];
        var special = string.Join('|', _specialTokens.Select(Regex.Escape));
        var split = config.SplitOnCjk ? $"{Whitespace}|{Punctuation}|{Cjk}" : $"{Whitespace}|{Punctuation}";
        var kept = config.SplitOnCjk ? $"{Punctuation}|{Cjk}" : Punctuation;
        _splitter = config.Split ? new Regex(special.Length > 0 ? $"{special}|{split}" : split, RegexOptions.CultureInvariant) : null;
        _kept = new Regex($"^(?:{(special.Length > 0 ? $"{special}|{kept}" : kept)})$", RegexOptions.CultureInvariant);
    }

    public override int VocabularySize => _vocabulary.Count;

    public override string IdToToken(int id)
    {
        CheckId(id);
        return _vocabulary[id];
    }

    public override int TokenToId(string token) =>
        _ids.TryGetValue(token, out var id) ? id : throw new ArgumentException($"{ClassName}: '{token}' is not in the vocabulary", nameof(token));

    private protected override bool Contains(string token) => _ids.ContainsKey(token);

    private protected override int DensePadId => 0;

    private protected override int[] Encode(string text) =>
        Pretokenize(text).SelectMany(word => _model.EncodeToIds(word)).ToArray();

    /// <summary>word_piece_tokenizer.py <c>pretokenize</c>: the words of <paramref name="text"/>.</summary>
    IEnumerable<string> Pretokenize(string text)
    {
        if (Config.StripAccents) text = StripAccents(text);
        var words = _splitter is null ? [text] : SplitKeepingDelimiters(text);
        // Special tokens keep their case (they often hold capitals, e.g. [CLS]). tf_text.case_fold_utf8 is ICU case
        // folding; lower-casing differs from it only for a few letters (e.g. ß folds to ss).
        return Config.Lowercase ? words.Select(w => _specialTokens.Contains(w) ? w : w.ToLowerInvariant()) : words;
    }

    /// <summary>tf_text.regex_split: the pieces between delimiters, plus the delimiters that match the keep pattern; no empty piece.</summary>
    List<string> SplitKeepingDelimiters(string text)
    {
        var words = new List<string>();
        int start = 0;
        foreach (Match delimiter in _splitter!.Matches(text))
        {
            if (delimiter.Index > start) words.Add(text[start..delimiter.Index]);
            if (_kept.IsMatch(delimiter.Value)) words.Add(delimiter.Value);
            start = delimiter.Index + delimiter.Length;
        }
        if (start < text.Length) words.Add(text[start..]);
        return words;
    }

    /// <summary>NFD, then drop nonspacing marks (<c>\p{Mn}</c>).</summary>
    static string StripAccents(string text) =>
        string.Concat(text.Normalize(NormalizationForm.FormD).Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark));

    /// <summary>FastWordpieceTokenizer.detokenize: pieces joined, a suffix piece onto its word, words with one space.</summary>
    private protected override string Decode(IReadOnlyList<int> ids)
    {
        var text = new StringBuilder();
        foreach (var id in ids)
        {
            var token = _vocabulary[id];
            if (token.StartsWith(Config.SuffixIndicator, StringComparison.Ordinal) && token.Length > Config.SuffixIndicator.Length)
                text.Append(token, Config.SuffixIndicator.Length, token.Length - Config.SuffixIndicator.Length);
            else
                text.Append(text.Length > 0 ? " " : "").Append(token);
        }
        return text.ToString();
    }

    /// <summary>Each input to Microsoft.ML.Tokenizers is one pre-split word.</summary>
    sealed class WholeWord : MlTokenizers.PreTokenizer
    {
        public static readonly WholeWord Instance = new();

        public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => text.Length == 0 ? [] : [(0, text.Length)];

        public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => text.Length == 0 ? [] : [(0, text.Length)];
    }
}
