namespace KerasPort.KerasHub;

/// <summary>The tokenization algorithm behind a KerasHub tokenizer class.</summary>
public enum TokenizerFamily
{
    /// <summary><c>keras_hub.tokenizers.SentencePieceTokenizer</c> and its subclasses (Gemma, Llama, T5, Mistral, ...): a SentencePiece model proto.</summary>
    SentencePiece,
    /// <summary><c>keras_hub.tokenizers.WordPieceTokenizer</c> and its subclasses (BERT): a vocabulary, one piece a line.</summary>
    WordPiece,
    /// <summary><c>keras_hub.tokenizers.BytePairTokenizer</c> and its subclasses (GPT-2, Qwen, RoBERTa, Llama 3): a vocabulary and merges.</summary>
    BytePair,
}

/// <summary>
/// What a KerasHub tokenizer class adds to its base: the special tokens its constructor registers with
/// <c>_add_special_token</c> (whose ids it pads, packs and strips with) and a fixed <c>pad_token_id</c> where the class
/// sets one directly. Each entry mirrors the class's <c>__init__</c> in keras-hub v0.31.1 (file named in the comment).
/// </summary>
/// <param name="Name">The class name, e.g. <c>GemmaTokenizer</c>.</param>
/// <param name="Family">The base algorithm.</param>
/// <param name="StartToken">The <c>start_token</c>, or null.</param>
/// <param name="EndToken">The <c>end_token</c>, or null.</param>
/// <param name="PadToken">The <c>pad_token</c>, or null (then <see cref="FixedPadId"/>, or id 0 as keras-hub's <c>getattr(self, "pad_token_id", 0)</c>).</param>
/// <param name="OtherSpecialTokens">Further registered special tokens (mask, chat markers).</param>
/// <param name="FixedPadId">A <c>pad_token_id</c> the class assigns directly (Llama, Mistral, GPT-2, Qwen: 0), or null.</param>
public sealed record KerasHubTokenizerClass(
    string Name, TokenizerFamily Family, string? StartToken, string? EndToken, string? PadToken,
    IReadOnlyList<string> OtherSpecialTokens, int? FixedPadId = null)
{
    /// <summary>The known classes, by name.</summary>
    public static IReadOnlyDictionary<string, KerasHubTokenizerClass> Known { get; } = new[]
    {
        // keras_hub/src/tokenizers/{sentence_piece,word_piece,byte_pair}_tokenizer.py: no special tokens of their own.
        new KerasHubTokenizerClass("SentencePieceTokenizer", TokenizerFamily.SentencePiece, null, null, null, []),
        new KerasHubTokenizerClass("WordPieceTokenizer", TokenizerFamily.WordPiece, null, null, null, []),
        new KerasHubTokenizerClass("BytePairTokenizer", TokenizerFamily.BytePair, null, null, null, []),
        // models/gemma/gemma_tokenizer.py
        new KerasHubTokenizerClass("GemmaTokenizer", TokenizerFamily.SentencePiece, "<bos>", "<eos>", "<pad>", []),
        // models/gemma3/gemma3_tokenizer.py with has_vision_tokens=True (the default; KerasHubTokenizerConfig drops them when false).
        new KerasHubTokenizerClass("Gemma3Tokenizer", TokenizerFamily.SentencePiece, "<bos>", "<eos>", "<pad>", ["<img>", "<start_of_image>", "<end_of_image>"]),
        // models/llama/llama_tokenizer.py and models/mistral/mistral_tokenizer.py (MistralTokenizer): pad_token_id = 0.
        new KerasHubTokenizerClass("LlamaTokenizer", TokenizerFamily.SentencePiece, "<s>", "</s>", null, [], 0),
        new KerasHubTokenizerClass("MistralTokenizer", TokenizerFamily.SentencePiece, "<s>", "</s>", null, [], 0),
        // models/t5/t5_tokenizer.py: start and end are both </s>.
        new KerasHubTokenizerClass("T5Tokenizer", TokenizerFamily.SentencePiece, "</s>", "</s>", "<pad>", []),
        // models/bert/bert_tokenizer.py
        new KerasHubTokenizerClass("BertTokenizer", TokenizerFamily.WordPiece, "[CLS]", "[SEP]", "[PAD]", ["[MASK]"]),
        // models/gpt2/gpt2_tokenizer.py: <|endoftext|> starts and ends; pad_token_id = 0.
        new KerasHubTokenizerClass("GPT2Tokenizer", TokenizerFamily.BytePair, "<|endoftext|>", "<|endoftext|>", null, [], 0),
        // models/qwen/qwen_tokenizer.py: no start token; pad_token_id = 0.
        new KerasHubTokenizerClass("QwenTokenizer", TokenizerFamily.BytePair, null, "<|endoftext|>", null, [], 0),
        // models/roberta/roberta_tokenizer.py
        new KerasHubTokenizerClass("RobertaTokenizer", TokenizerFamily.BytePair, "<s>", "</s>", "<pad>", ["<mask>"]),
        // models/llama3/llama3_tokenizer.py with its default bos/eos/misc tokens (<|eot_id|> joins as end_token2).
        new KerasHubTokenizerClass("Llama3Tokenizer", TokenizerFamily.BytePair, "<|begin_of_text|>", "<|end_of_text|>", null,
            ["<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"], 0),
    }.ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>Every registered special token (start, end, pad, others), without repeats, in registration order.</summary>
    public IReadOnlyList<string> SpecialTokens =>
        new[] { StartToken, EndToken, PadToken }.OfType<string>().Concat(OtherSpecialTokens).Distinct(StringComparer.Ordinal).ToList();
}
