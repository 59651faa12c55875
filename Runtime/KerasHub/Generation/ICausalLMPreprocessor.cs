namespace KerasPort.KerasHub;

/// <summary>
/// What <see cref="CausalLM"/> needs from a causal LM's preprocessor to generate from strings, as keras-hub's
/// <c>CausalLMPreprocessor</c> does in <c>generate_preprocess</c> / <c>generate_postprocess</c>
/// (keras_hub/src/models/causal_lm_preprocessor.py): prompts to padded token ids (start token prepended, no end
/// token) and generated ids back to strings.
/// </summary>
public interface ICausalLMPreprocessor
{
    /// <summary>The token ids that end a generation by default (<c>stop_token_ids="auto"</c>: the tokenizer's end token).</summary>
    IReadOnlyList<int> EndTokenIds { get; }

    /// <summary>
    /// The prompts as model inputs, padded (or truncated) to <paramref name="sequenceLength"/>, or to the
    /// preprocessor's own sequence length when null.
    /// </summary>
    CausalLMInputs GenerateInputs(IReadOnlyList<string> prompts, int? sequenceLength = null);

    /// <summary>
    /// The strings of generated sequences: positions whose <paramref name="paddingMask"/> is false and special tokens
    /// are dropped, the rest detokenized.
    /// </summary>
    IReadOnlyList<string> Postprocess(int[][] tokenIds, bool[][] paddingMask);
}

/// <summary>A batch of prompts as a causal LM's inputs: token ids and the mask of the prompt's (non-padding) positions, one row per prompt, all rows equally long.</summary>
/// <param name="TokenIds">Token ids, padded.</param>
/// <param name="PaddingMask">True where <paramref name="TokenIds"/> holds a prompt token.</param>
public sealed record CausalLMInputs(int[][] TokenIds, bool[][] PaddingMask);
