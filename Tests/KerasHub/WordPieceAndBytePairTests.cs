using KerasPort.KerasHub;

namespace KerasPort.Tests.KerasHub;

/// <summary>
/// WordPiece and byte-pair tokenizers against the outputs keras-hub v0.31.1 states in its own docstrings and unit
/// tests (no golden data: keras-hub runs them through tensorflow-text or HF tokenizers, absent where the golden cases
/// were made). Each test names the keras-hub file and test it mirrors; the tiny vocabularies are theirs.
/// </summary>
public sealed class WordPieceAndBytePairTests
{
    static readonly string[] FoxVocabulary = ["[UNK]", "the", "qu", "##ick", "br", "##own", "fox", "."];

    static KerasHubTokenizer WordPiece(IReadOnlyList<string> vocabulary, string className = "WordPieceTokenizer", Func<KerasHubTokenizerConfig, KerasHubTokenizerConfig>? settings = null)
    {
        var config = new KerasHubTokenizerConfig { Class = KerasHubTokenizerClass.Known[className] };
        return KerasHubTokenizer.Create(settings?.Invoke(config) ?? config, new KerasHubTokenizerAssets { WordPieceVocabulary = vocabulary });
    }

    // word_piece_tokenizer.py docstring "Ragged outputs", "Dense outputs", "String output" and "Detokenization".
    [Fact]
    public void WordPieceDocstringExamples()
    {
        var lowercase = WordPiece(FoxVocabulary, settings: c => c with { Lowercase = true });
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], lowercase.Tokenize("The quick brown fox."));
        Assert.Equal(["the", "qu", "##ick", "br", "##own", "fox", "."], lowercase.TokenizeToTokens("The quick brown fox."));
        Assert.Equal("the quick brown fox .", lowercase.Detokenize(lowercase.Tokenize("The quick brown fox.")));
        var dense = WordPiece(FoxVocabulary, settings: c => c with { Lowercase = true, SequenceLength = 10 });
        Assert.Equal([[1, 2, 3, 4, 5, 6, 7, 0, 0, 0]], dense.Tokenize(["The quick brown fox."]));
    }

    // word_piece_tokenizer_test.py: test_tokenize, test_detokenize, test_accessors, test_skip_lowercase, test_strip_accents,
    // test_skip_strip_accents, test_cjk_tokens, test_no_splitting, test_special_tokens_int_dtype, test_special_tokens_with_lowecase.
    [Fact]
    public void WordPieceUnitTests()
    {
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], WordPiece(FoxVocabulary).Tokenize("the quick brown fox."));
        var noDot = WordPiece(FoxVocabulary[..7]);
        Assert.Equal(["the quick brown fox", "the fox"], noDot.Detokenize([[1, 2, 3, 4, 5, 6], [1, 6]]));
        Assert.Equal(7, noDot.VocabularySize);
        Assert.Equal("[UNK]", noDot.IdToToken(0));
        Assert.Equal(6, noDot.TokenToId("fox"));
        Assert.Throws<ArgumentOutOfRangeException>(() => noDot.IdToToken(7));
        Assert.Equal([1, 2, 3, 4, 5, 0], WordPiece(["[UNK]", "the", "QU", "##icK", "br", "##OWN", "fox"]).Tokenize("the QUicK brOWN FOX"));
        Assert.Equal([1, 2, 3, 4, 5], WordPiece(["[UNK]", "a", "e", "i", "o", "u"], settings: c => c with { StripAccents = true }).Tokenize("á é í ó ú"));
        Assert.Equal([1, 2, 3, 4, 5], WordPiece(["[UNK]", "á", "é", "í", "ó", "ú"]).Tokenize("á é í ó ú"));
        Assert.Equal(["ah", "半", "推", "zz"], WordPiece(["[UNK]", "推", "敐", "乐", "半", "偷", "匕", "ah", "zz"]).TokenizeToTokens("ah半推zz"));
        Assert.Equal([[1], [0], [1]], WordPiece(["[UNK]", "t o k e n"], settings: c => c with { Split = false }).Tokenize(["t o k e n", "m i s s i n g", "t o k e n"]));

        string[] special = ["[UNK]", "[MASK]", "[SEP]", "[PAD]", "[CLS]"];
        string[] vocabulary = [.. special, "the", "qu", "##ick", "br", "##own", "fox", "."];
        var withSpecial = WordPiece(vocabulary, settings: c => c with { ExtraSpecialTokens = special, SpecialTokensInStrings = true });
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], withSpecial.Tokenize("[UNK] [MASK] [SEP] [PAD] [CLS] the quick brown fox."));
        var lowercaseSpecial = WordPiece(vocabulary, settings: c => c with { Lowercase = true, ExtraSpecialTokens = special, SpecialTokensInStrings = true });
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], lowercaseSpecial.Tokenize("[UNK] [MASK] [SEP] [PAD] [CLS] THE QUICK BROWN FOX."));
    }

    // word_piece_tokenizer_test.py test_special_tokens_string_dtype: custom oov token and suffix indicator.
    [Fact]
    public void WordPieceCustomUnknownAndSuffix()
    {
        string[] vocabulary = ["@UNK@", "qu", "@@ick", "br", "@@own", "fox", "@MASK@"];
        var tokenizer = WordPiece(vocabulary, settings: c => c with
        {
            OovToken = "@UNK@", SuffixIndicator = "@@", ExtraSpecialTokens = ["@UNK@", "@MASK@"], SpecialTokensInStrings = true,
        });
        Assert.Equal(["qu", "@@ick", "br", "@@own", "@UNK@", "@MASK@"], tokenizer.TokenizeToTokens("quick brown whale @MASK@"));
        Assert.Throws<ModelFileException>(() => WordPiece(["qu", "@@ick"]));
    }

    // models/bert/bert_tokenizer_test.py: test_tokenizer_basics, test_lowercase, test_tokenizer_special_tokens, test_errors_missing_special_tokens.
    [Fact]
    public void BertTokenizerUnitTests()
    {
        string[] vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "THE", "QUICK", "BROWN", "FOX", "the", "quick", "brown", "fox"];
        string[] input = ["THE QUICK BROWN FOX", "THE FOX"];
        Assert.Equal([[5, 6, 7, 8], [5, 8]], WordPiece(vocabulary, "BertTokenizer").Tokenize(input));
        Assert.Equal([[9, 10, 11, 12], [9, 12]], WordPiece(vocabulary, "BertTokenizer", c => c with { Lowercase = true }).Tokenize(input));
        Assert.Equal([2, 5, 4, 8, 3, 0], WordPiece(vocabulary, "BertTokenizer", c => c with { SpecialTokensInStrings = true }).Tokenize("[CLS] THE [MASK] FOX [SEP] [PAD]"));
        var bert = WordPiece(vocabulary, "BertTokenizer");
        Assert.Equal((2, 3, 0), (bert.StartTokenId, bert.EndTokenId, bert.PadTokenId));
        Assert.Throws<ModelFileException>(() => WordPiece(["a", "b", "c", "[UNK]"], "BertTokenizer"));
    }

    static readonly List<string> AirplaneMerges =
        ["Ġ a", "Ġ t", "Ġ i", "Ġ b", "a i", "p l", "n e", "Ġa t", "p o", "r t", "Ġt h", "ai r", "pl a", "po rt", "Ġai r", "Ġa i", "pla ne"];

    /// <summary>The merges' tokens, sorted as Python sorts them, with <paramref name="before"/> sorted in and <paramref name="after"/> appended (the tests' setUp).</summary>
    static Dictionary<string, int> AirplaneVocabulary(string[] before, string[] after) =>
        AirplaneMerges.SelectMany(m => m.Split(' ').Append(m.Replace(" ", ""))).Concat(before).Distinct().Order(StringComparer.Ordinal)
            .Concat(after).Select((token, id) => (token, id)).ToDictionary(p => p.token, p => p.id);

    static KerasHubTokenizer BytePair(string className, Dictionary<string, int> vocabulary, List<string> merges, IReadOnlyList<string>? unsplittable = null) =>
        KerasHubTokenizer.Create(
            new KerasHubTokenizerConfig { Class = KerasHubTokenizerClass.Known[className], UnsplittableTokens = unsplittable ?? KerasHubTokenizerClass.Known[className].SpecialTokens },
            new KerasHubTokenizerAssets { BytePairVocabulary = vocabulary, BytePairMerges = merges });

    // models/gpt2/gpt2_tokenizer_test.py test_tokenizer_basics (ids and detokenized strings).
    [Fact]
    public void Gpt2TokenizerUnitTest()
    {
        var tokenizer = BytePair("GPT2Tokenizer", AirplaneVocabulary([], ["!", "<|endoftext|>"]), AirplaneMerges);
        string[] input = [" airplane at airport<|endoftext|>", " airplane airport"];
        var ids = tokenizer.Tokenize(input);
        Assert.Equal([[23, 14, 24, 23, 16, 30], [23, 14, 23, 16]], ids);
        Assert.Equal(input, tokenizer.Detokenize(ids));
        Assert.Equal((30, 30, 0), (tokenizer.StartTokenId, tokenizer.EndTokenId, tokenizer.PadTokenId));
    }

    // models/llama3/llama3_tokenizer_test.py test_tokenizer_basics.
    [Fact]
    public void Llama3TokenizerUnitTest()
    {
        string[] special = ["!", "<|end_of_text|>", "<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"];
        var tokenizer = BytePair("Llama3Tokenizer", AirplaneVocabulary(special, []), AirplaneMerges);
        string[] input = ["<|begin_of_text|>airplane at airport<|end_of_text|>", " airplane airport"];
        var ids = tokenizer.Tokenize(input);
        Assert.Equal([[1, 8, 20, 30, 29, 22, 3], [29, 20, 29, 22]], ids);
        Assert.Equal(input, tokenizer.Detokenize(ids));
    }

    // tokenizers/byte_pair_tokenizer_test.py test_tokenize_with_special_tokens: unsplittable tokens are never merged.
    [Fact]
    public void BytePairUnsplittableTokens()
    {
        var vocabulary = new Dictionary<string, int> { ["sp"] = 0, ["s"] = 1, ["p"] = 2 };
        Assert.Equal([1, 2], BytePair("BytePairTokenizer", vocabulary, ["s p"], ["s", "p"]).Tokenize("sp"));
        Assert.Equal([0], BytePair("BytePairTokenizer", vocabulary, ["s p"]).Tokenize("sp"));
        Assert.Throws<ModelFileException>(() => BytePair("BytePairTokenizer", vocabulary, ["s x"]));
    }

    // models/gpt2/gpt2_tokenizer_test.py test_errors_missing_special_tokens.
    [Fact]
    public void Gpt2NeedsItsSpecialToken() =>
        Assert.Throws<ModelFileException>(() => BytePair("GPT2Tokenizer", new Dictionary<string, int> { ["a"] = 0, ["b"] = 1 }, []));

    /// <summary>
    /// Byte-level BPE streams a text whose characters span several tokens (no merges: one token per UTF-8 byte):
    /// the streamed texts join to the original text (byte-level BPE round-trips), and a character's first bytes stream
    /// nothing.
    /// </summary>
    [Fact]
    public void StreamedTextKeepsMultiByteCharactersWhole()
    {
        // GPT-2's bytes_to_unicode (byte_pair_tokenizer.py): printable Latin-1 bytes stand for themselves, the rest map to 256 + n.
        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range('¡', '¬' - '¡' + 1)).Concat(Enumerable.Range('®', 'ÿ' - '®' + 1)).ToHashSet();
        int next = 256;
        var vocabulary = Enumerable.Range(0, 256).Select(b => ((char)(printable.Contains(b) ? b : next++)).ToString())
            .Select((token, id) => (token, id)).ToDictionary(p => p.token, p => p.id);
        var tokenizer = BytePair("BytePairTokenizer", vocabulary, []);
        var preprocessor = new CausalLMPreprocessor(new KerasHubPreprocessorConfig { ClassName = "CausalLMPreprocessor", Tokenizer = tokenizer.Config }, tokenizer);
        const string text = "café 日本語 and 🙂!";
        var ids = tokenizer.Tokenize(text);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(text), ids.Length);
        var streamed = new StreamedText(preprocessor, ids[..2]);
        var pieces = ids[2..].Select((id, i) => streamed.Add(id, isLast: i == ids.Length - 3)).ToList();
        Assert.Equal(text, tokenizer.Detokenize(ids[..2]) + string.Concat(pieces));
        Assert.Contains("", pieces);
        Assert.DoesNotContain(pieces, p => p.Contains('\uFFFD'));
    }
}
