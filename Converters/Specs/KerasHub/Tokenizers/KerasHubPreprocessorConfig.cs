namespace KerasPort.KerasHub;

/// <summary>
/// A KerasHub causal-LM preprocessor's constructor arguments (keras_hub/src/models/causal_lm_preprocessor.py
/// <c>__init__(tokenizer, sequence_length=1024, add_start_token=True, add_end_token=True)</c> and <c>get_config</c>; the
/// Gemma, Llama, Mistral, GPT-2, Qwen, ... subclasses add nothing), with its tokenizer's; absent keys take these defaults.
/// </summary>
public sealed record KerasHubPreprocessorConfig
{
    const int DefaultSequenceLength = 1024;

    /// <summary>The class name, e.g. <c>GemmaCausalLMPreprocessor</c>.</summary>
    public required string ClassName { get; init; }

    /// <summary>The packed length of <c>token_ids</c> and <c>padding_mask</c> (keras-hub's default 1024).</summary>
    public int SequenceLength { get; init; } = DefaultSequenceLength;

    /// <summary>Whether the tokenizer's start token opens each sequence.</summary>
    public bool AddStartToken { get; init; } = true;

    /// <summary>Whether training inputs end with the end token (generation never adds it).</summary>
    public bool AddEndToken { get; init; } = true;

    /// <summary>The tokenizer the preprocessor holds.</summary>
    public required KerasHubTokenizerConfig Tokenizer { get; init; }

    /// <summary>Reads a serialized preprocessor (<c>{"class_name", "config": {"tokenizer": {...}, ...}}</c>); <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ModelFileException">No tokenizer inside, or a setting of the wrong type.</exception>
    /// <exception cref="UnsupportedLayerException">Not a causal-LM preprocessor, or a tokenizer class KerasPort does not know.</exception>
    public static KerasHubPreprocessorConfig Parse(JsonObject serialized, string source)
    {
        var className = KerasConfigReader.Text(serialized["class_name"])
            ?? throw new ModelFileException(source, "class_name", "the preprocessor has no class_name string");
        if (!className.EndsWith("CausalLMPreprocessor", StringComparison.Ordinal))
            throw new UnsupportedLayerException(className, className, $"KerasHub preprocessor '{className}' is not supported: KerasPort runs causal-LM preprocessors (its tokenizer alone loads with KerasHubTokenizer.Load)");
        var config = serialized["config"] as JsonObject ?? throw new ModelFileException(source, "config", $"{className} has no config object");
        var tokenizer = config["tokenizer"] as JsonObject ?? throw new ModelFileException(source, "config.tokenizer", $"{className} holds no tokenizer");
        var read = new TokenizerConfigValues(config, source, className);
        return new KerasHubPreprocessorConfig
        {
            ClassName = className,
            SequenceLength = read.PositiveInt("sequence_length") ?? DefaultSequenceLength,
            AddStartToken = read.Bool("add_start_token", true),
            AddEndToken = read.Bool("add_end_token", true),
            Tokenizer = KerasHubTokenizerConfig.Parse(tokenizer, source),
        };
    }
}
