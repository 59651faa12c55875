using System.Text.Json.Nodes;
using KerasPort.KerasHub;

namespace KerasPort.Tests.KerasHub;

/// <summary>
/// The tokenizer and preprocessor config records read keras-hub v0.31.1's constructor arguments: absent keys take the
/// defaults of its <c>__init__</c> signatures (sentence_piece_tokenizer.py, word_piece_tokenizer.py,
/// byte_pair_tokenizer.py, causal_lm_preprocessor.py, gemma3_tokenizer.py), and a bad value is refused naming its key.
/// </summary>
public sealed class TokenizerSpecTests
{
    static KerasHubTokenizerConfig Tokenizer(string className, string config = "{}") =>
        KerasHubTokenizerConfig.Parse(JsonNode.Parse($$"""{"class_name": "{{className}}", "config": {{config}}}""")!.AsObject(), "test.keras");

    [Fact]
    public void AbsentArgumentsTakeKerasHubsDefaults()
    {
        var sentencePiece = Tokenizer("GemmaTokenizer");
        Assert.Equal((null, false, false), (sentencePiece.SequenceLength, sentencePiece.AddBos, sentencePiece.AddEos));
        var wordPiece = Tokenizer("WordPieceTokenizer");
        Assert.Equal((false, false, true, true, "##", "[UNK]", false),
            (wordPiece.Lowercase, wordPiece.StripAccents, wordPiece.Split, wordPiece.SplitOnCjk, wordPiece.SuffixIndicator, wordPiece.OovToken, wordPiece.SpecialTokensInStrings));
        Assert.Empty(wordPiece.ExtraSpecialTokens);
        var bytePair = Tokenizer("GPT2Tokenizer");
        Assert.False(bytePair.AddPrefixSpace);
        // unsplittable_tokens=None: the class's special tokens.
        Assert.Equal(["<|endoftext|>"], bytePair.UnsplittableTokens);
        var preprocessor = KerasHubPreprocessorConfig.Parse(JsonNode.Parse("""
            {"class_name": "GemmaCausalLMPreprocessor", "config": {"tokenizer": {"class_name": "GemmaTokenizer", "config": {}}}}
            """)!.AsObject(), "test.keras");
        Assert.Equal((1024, true, true), (preprocessor.SequenceLength, preprocessor.AddStartToken, preprocessor.AddEndToken));
    }

    [Fact]
    public void SavedArgumentsAreKept()
    {
        Assert.Equal((8, true, true), Tokenizer("LlamaTokenizer", """{"sequence_length": 8, "add_bos": true, "add_eos": true}""") is var s ? (s.SequenceLength, s.AddBos, s.AddEos) : default);
        var wordPiece = Tokenizer("BertTokenizer", """{"lowercase": true, "split": false, "suffix_indicator": "@@", "oov_token": "<unk>", "special_tokens": ["[X]"]}""");
        Assert.Equal((true, false, "@@", "<unk>"), (wordPiece.Lowercase, wordPiece.Split, wordPiece.SuffixIndicator, wordPiece.OovToken));
        Assert.Equal(["[X]"], wordPiece.ExtraSpecialTokens);
        Assert.Equal(["a"], Tokenizer("BytePairTokenizer", """{"unsplittable_tokens": ["a"], "add_prefix_space": true}""").UnsplittableTokens);
        // gemma3_tokenizer.py: has_vision_tokens=False registers no image tokens.
        Assert.Contains("<img>", Tokenizer("Gemma3Tokenizer").Class.SpecialTokens);
        Assert.DoesNotContain("<img>", Tokenizer("Gemma3Tokenizer", """{"has_vision_tokens": false}""").Class.SpecialTokens);
    }

    [Theory]
    [InlineData("GemmaTokenizer", """{"add_bos": "yes"}""", "config.add_bos")]
    [InlineData("GemmaTokenizer", """{"sequence_length": 0}""", "config.sequence_length")]
    [InlineData("GemmaTokenizer", """{"proto": "/etc/passwd"}""", "config.proto")]
    [InlineData("BertTokenizer", """{"vocabulary": ["a"]}""", "config.vocabulary")]
    [InlineData("GPT2Tokenizer", """{"merges": "merges.txt"}""", "config.merges")]
    [InlineData("BertTokenizer", """{"oov_token": ""}""", "config.oov_token")]
    [InlineData("BertTokenizer", """{"special_tokens": [1]}""", "config.special_tokens")]
    [InlineData("Gemma3Tokenizer", """{"has_vision_tokens": 1}""", "config.has_vision_tokens")]
    public void ABadArgumentIsRefusedByName(string className, string config, string part)
    {
        var error = Assert.Throws<ModelFileException>(() => Tokenizer(className, config));
        Assert.Equal(part, error.Part);
        Assert.Contains(className, error.Message);
    }
}
