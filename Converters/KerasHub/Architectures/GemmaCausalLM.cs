namespace KerasPort.KerasHub.Architectures;

/// <summary>
/// KerasHub's <c>GemmaCausalLM</c> (keras_hub/src/models/gemma/gemma_causal_lm.py, v0.31.1): a Gemma backbone and the
/// logits of its tied token embedding (<see cref="CausalLMGraph"/>). Generation runs through
/// <c>KerasPort.KerasHub.CausalLM</c>, whose default sampler is greedy, as <c>GemmaCausalLM.compile</c>'s.
/// </summary>
internal sealed class GemmaCausalLM : KerasHubArchitecture
{
    /// <inheritdoc />
    public override string RegisteredName => "keras_hub>GemmaCausalLM";

    /// <inheritdoc />
    public override ModelDescription Build(LayerReader arguments, KerasHubContext context) => CausalLMGraph.Build(arguments, context);
}
