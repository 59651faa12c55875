using System.Text.RegularExpressions;
using MlTokenizers = Microsoft.ML.Tokenizers;

namespace KerasPort.KerasHub;

/// <summary>
/// keras_hub/src/tokenizers/byte_pair_tokenizer.py's Python path (the default in v0.31.1): HF <c>tokenizers</c> BPE
/// with the unsplittable tokens as special tokens, a <c>Split(SPLIT_PATTERN_TOKENIZERS, "isolated")</c> pre-tokenizer
/// and byte-level BPE, decoded with special tokens kept. Here on Microsoft.ML.Tokenizers' byte-level BpeTokenizer.
/// </summary>
internal sealed class BytePairKerasHubTokenizer : KerasHubTokenizer
{
    // byte_pair_tokenizer.py SPLIT_PATTERN_TOKENIZERS (Llama 3's pattern).
    static readonly Regex SplitPattern = new(
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    readonly IReadOnlyDictionary<string, int> _vocabulary;
    readonly Dictionary<int, string> _tokens = [];
    readonly MlTokenizers.BpeTokenizer _model;

    public BytePairKerasHubTokenizer(KerasHubTokenizerConfig config, IReadOnlyDictionary<string, int> vocabulary, IReadOnlyList<string> merges, string source) : base(config)
    {
        _vocabulary = vocabulary;
        foreach (var (token, id) in vocabulary) _tokens.TryAdd(id, token);
        foreach (var merge in merges)
        {
            // set_vocabulary_and_merges: both sides of every rule must be in the vocabulary.
            var sides = merge.Split(' ');
            if (sides.Length != 2 || !vocabulary.ContainsKey(sides[0]) || !vocabulary.ContainsKey(sides[1]))
                throw new ModelFileException(source, "merges.txt", $"merge rule '{merge}' is not two tokens of the vocabulary");
        }
        var special = config.UnsplittableTokens.Where(vocabulary.ContainsKey).Distinct().ToDictionary(t => t, t => vocabulary[t]);
        _model = MlTokenizers.BpeTokenizer.Create(new MlTokenizers.BpeOptions(vocabulary)
        {
            Merges = merges,
            ByteLevel = true,
            SpecialTokens = special,
            PreTokenizer = new MlTokenizers.RegexPreTokenizer(SplitPattern, special),
        });
    }

    public override int VocabularySize => _vocabulary.Count;

    public override string IdToToken(int id)
    {
        CheckId(id);
        return _tokens.TryGetValue(id, out var token) ? token : throw new ArgumentOutOfRangeException(nameof(id), id, $"{ClassName}: no token has id {id}");
    }

    public override int TokenToId(string token) =>
        _vocabulary.TryGetValue(token, out var id) ? id : throw new ArgumentException($"{ClassName}: '{token}' is not in the vocabulary", nameof(token));

    private protected override bool Contains(string token) => _vocabulary.ContainsKey(token);

    private protected override int[] Encode(string text)
    {
        // HF ByteLevel(add_prefix_space): a space before an input that does not start with one.
        if (Config.AddPrefixSpace && !text.StartsWith(' ')) text = " " + text;
        return _model.EncodeToIds(text).ToArray();
    }

    /// <summary>HF ByteLevel decoding with special tokens kept (<c>decode_batch(skip_special_tokens=False)</c>).</summary>
    private protected override string Decode(IReadOnlyList<int> ids) => _model.Decode(ids, considerSpecialTokens: true);
}
