namespace KerasPort.KerasHub;

/// <summary>
/// A KerasHub causal-LM preprocessor (keras_hub/src/models/causal_lm_preprocessor.py; GemmaCausalLMPreprocessor,
/// LlamaCausalLMPreprocessor and the other subclasses only pick the tokenizer): prompts to backbone inputs for
/// generation, and generated ids back to text. Thread-safe.
/// </summary>
/// <example>
/// <code>
/// var preprocessor = CausalLMPreprocessor.Load("gemma_causal_lm.keras");
/// CausalLMInputs inputs = preprocessor.GeneratePreprocess(["the quick brown fox"]);
/// // ... generation fills inputs.TokenIds and a padding mask ...
/// string[] texts = preprocessor.GeneratePostprocess(tokenIds, paddingMask);
/// </code>
/// </example>
public sealed class CausalLMPreprocessor : ICausalLMPreprocessor
{
    readonly StartEndPacker _packer;

    /// <summary>Makes the preprocessor of <paramref name="config"/> around <paramref name="tokenizer"/>.</summary>
    public CausalLMPreprocessor(KerasHubPreprocessorConfig config, KerasHubTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tokenizer);
        Config = config;
        Tokenizer = tokenizer;
        // CausalLMPreprocessor.build: the packer uses the tokenizer's start, end and pad ids.
        _packer = new StartEndPacker(config.SequenceLength,
            tokenizer.StartTokenId is { } start ? [start] : null,
            tokenizer.EndTokenId is { } end ? [end] : null,
            tokenizer.PadTokenId);
    }

    /// <summary>The constructor arguments the preprocessor was saved with.</summary>
    public KerasHubPreprocessorConfig Config { get; }

    /// <summary>The tokenizer.</summary>
    public KerasHubTokenizer Tokenizer { get; }

    /// <summary>The packed length of <see cref="GeneratePreprocess"/>'s rows (the saved <c>sequence_length</c>).</summary>
    public int SequenceLength => Config.SequenceLength;

    /// <summary>
    /// <c>generate_preprocess</c>: each prompt tokenized, the start token prepended if <c>add_start_token</c> (never
    /// the end token), truncated and padded to <paramref name="sequenceLength"/> (default <see cref="SequenceLength"/>).
    /// </summary>
    public CausalLMInputs GeneratePreprocess(IReadOnlyList<string> prompts, int? sequenceLength = null)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        var (ids, mask) = _packer.Pack(Tokenizer.Tokenize(prompts), sequenceLength, addStartValue: Config.AddStartToken, addEndValue: false);
        return new CausalLMInputs(ids, mask);
    }

    /// <inheritdoc />
    public IReadOnlyList<int> EndTokenIds => Tokenizer.EndTokenId is { } end ? [end] : [];

    /// <inheritdoc />
    public CausalLMInputs GenerateInputs(IReadOnlyList<string> prompts, int? sequenceLength = null) => GeneratePreprocess(prompts, sequenceLength);

    /// <inheritdoc />
    public IReadOnlyList<string> Postprocess(int[][] tokenIds, bool[][] paddingMask) =>
        GeneratePostprocess(tokenIds, paddingMask.Select(row => (IReadOnlyList<int>)row.Select(m => m ? 1 : 0).ToArray()).ToArray());

    /// <summary>
    /// <c>generate_postprocess</c>: per row, the ids where <paramref name="paddingMask"/> is nonzero and that are not the
    /// tokenizer's special tokens (<c>strip_to_ragged</c>), detokenized.
    /// </summary>
    /// <exception cref="ArgumentException">A row of the mask is not as long as its row of ids.</exception>
    public string[] GeneratePostprocess(IReadOnlyList<IReadOnlyList<int>> tokenIds, IReadOnlyList<IReadOnlyList<int>> paddingMask)
    {
        ArgumentNullException.ThrowIfNull(tokenIds);
        ArgumentNullException.ThrowIfNull(paddingMask);
        if (tokenIds.Count != paddingMask.Count || tokenIds.Where((row, r) => row.Count != paddingMask[r].Count).Any())
            throw new ArgumentException("token ids and padding mask differ in shape", nameof(paddingMask));
        var special = Tokenizer.SpecialTokenIds;
        return tokenIds.Select((row, r) => Tokenizer.Detokenize(row.Where((id, i) => paddingMask[r][i] != 0 && !special.Contains(id)).ToList())).ToArray();
    }

    /// <summary>Loads the preprocessor of a KerasHub <c>.keras</c> task or preprocessor, or of a preset folder (<c>preprocessor.json</c>).</summary>
    /// <remarks>A causal LM loaded with <see cref="CausalLM.Load(string, Runtime.KerasModelOptions?)"/> has its saved preprocessor already, from the same read of the file.</remarks>
    /// <exception cref="ModelFileException">The file holds no causal-LM preprocessor, or a malformed config or vocabulary.</exception>
    public static CausalLMPreprocessor Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return FromFiles(KerasHubTokenizerFiles.Read(path), path);
    }

    /// <summary>The preprocessor of tokenizer files read from <paramref name="source"/> (which errors name).</summary>
    /// <exception cref="ModelFileException">They hold a tokenizer alone, or a vocabulary that does not fit it.</exception>
    internal static CausalLMPreprocessor FromFiles(KerasHubTokenizerFiles files, string source)
    {
        var config = files.Preprocessor
            ?? throw new ModelFileException(source, null, $"holds a {files.Tokenizer.Class.Name} alone, no causal-LM preprocessor; load it with KerasHubTokenizer.Load");
        return new CausalLMPreprocessor(config, KerasHubTokenizer.Create(files.Tokenizer, files.Assets, source));
    }
}
