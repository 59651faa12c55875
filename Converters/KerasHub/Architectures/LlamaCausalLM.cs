namespace KerasPort.KerasHub.Architectures;

/// <summary>
/// KerasHub's <c>LlamaCausalLM</c> (keras_hub/src/models/llama/llama_causal_lm.py, v0.31.1): a Llama backbone and
/// <c>backbone.token_embedding(hidden, reverse=True)</c>, the logits through the embedding's
/// <c>reverse_embeddings</c> (Llama's default untied head) or the embeddings themselves when tied
/// (<see cref="CausalLMGraph"/>). The decoder blocks run on a key/value cache for generation
/// (<c>ICachedDecoderLayer</c>, llama_causal_lm.py <c>call_with_cache</c>).
/// </summary>
internal sealed class LlamaCausalLM : KerasHubArchitecture
{
    /// <inheritdoc />
    public override string RegisteredName => "keras_hub>LlamaCausalLM";

    /// <inheritdoc />
    public override ModelDescription Build(LayerReader arguments, KerasHubContext context) => CausalLMGraph.Build(arguments, context);
}
