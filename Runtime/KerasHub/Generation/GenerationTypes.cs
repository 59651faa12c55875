namespace KerasPort.KerasHub;

/// <summary>Settings of one <see cref="CausalLM"/> generation.</summary>
public sealed record GenerationOptions
{
    /// <summary>The sampler; null uses the task's default (greedy, as <c>GemmaCausalLM.compile</c>'s; <c>LlamaCausalLM</c>'s default is top-k).</summary>
    public Sampler? Sampler { get; init; }

    /// <summary>
    /// The total length (prompt and generated tokens). For token-id prompts, null keeps the prompts' width; for strings,
    /// null uses the preprocessor's sequence length.
    /// </summary>
    public int? MaxLength { get; init; }

    /// <summary>
    /// Generation ends once every row has produced one of these after its prompt (keras-hub's <c>stop_token_ids</c>).
    /// Null: none for token-id prompts, the preprocessor's end token for strings. Empty: none.
    /// </summary>
    public IReadOnlyList<int>? StopTokenIds { get; init; }

    /// <summary>Also return the logits of every step (<see cref="GenerationResult.Steps"/>); off by default (they are <c>batch x vocabulary</c> floats per step).</summary>
    public bool KeepStepLogits { get; init; }
}

/// <summary>One generated token, as it is produced.</summary>
/// <param name="Row">The prompt (batch row) it extends.</param>
/// <param name="Position">Its position in the row's sequence.</param>
/// <param name="TokenId">The token id.</param>
/// <param name="IsStop">True for a stop token (the row's last token).</param>
/// <param name="Text">
/// When the generation came from strings, the text this token adds to its row (else null): the prompt's text and the
/// row's streamed texts, joined, are exactly its detokenization. It may be empty while what the token spells depends on
/// tokens still to come (a character's remaining UTF-8 bytes); the row's last token brings whatever was held back.
/// </param>
public sealed record GeneratedToken(int Row, int Position, int TokenId, bool IsStop, string? Text = null);

/// <summary>One step of the generation loop: the position it filled and the logits it sampled from (<c>[batch][vocabulary]</c>).</summary>
/// <param name="Position">The position written by this step (its input was the token at <c>Position - 1</c>).</param>
/// <param name="Logits">The logits per row, or null unless <see cref="GenerationOptions.KeepStepLogits"/>.</param>
public sealed record GenerationStep(int Position, float[][]? Logits);

/// <summary>
/// The outcome of a generation, as keras-hub's <c>generate_step</c> returns it: the token ids (prompt and generated) and
/// the padding mask, false after each row's first generated stop token (the stop token itself is kept) and, without
/// stop tokens, true everywhere.
/// </summary>
/// <param name="TokenIds">Token ids, one row per prompt.</param>
/// <param name="PaddingMask">Which positions hold the sequence.</param>
/// <param name="Steps">The generation steps, in order.</param>
public sealed record GenerationResult(int[][] TokenIds, bool[][] PaddingMask, IReadOnlyList<GenerationStep> Steps);
