using KerasPort.KerasHub;

namespace KerasPort.Tests.Runtime.KerasHub;

/// <summary>
/// <see cref="CausalLM"/> on a <c>LlamaCausalLM</c> against keras-hub 0.31.1's greedy <c>generate</c> (golden case
/// <c>kerashub/llama_causal_lm_generate_ids</c>: prompts of 5 and 3 ids padded to 12, without stop tokens and with
/// stop ids 51 and 56): the Llama decoders' key/value cache (grouped-query heads, RoPE from the cache index) gives
/// keras-hub's ids, padding mask and step positions exactly, and its step logits within the case's tolerance.
/// </summary>
public sealed class LlamaCausalLMGenerationTests
{
    const double Atol = 1e-5, Rtol = 1e-4;

    static int[][] Ids(NdArray array) => [.. array.ToDoubles().Select(v => (int)v).Chunk((int)array.Shape[^1])];

    [SkippableTheory]
    [InlineData("generate", null)]
    [InlineData("generate_stop", new[] { 51, 56 })]
    public void GreedyGenerationMatchesKerasHub(string prefix, int[]? stopTokenIds)
    {
        var caseDirectory = SharedData.GoldenPath("kerashub", "llama_causal_lm_generate_ids");
        var io = NpzArchive.Read(Path.Combine(caseDirectory, "io.npz"));
        using var lm = CausalLM.Load(Path.Combine(caseDirectory, "model.keras"));
        var prompts = new CausalLMInputs(Ids(io["generate/prompt_token_ids"]),
            [.. Ids(io["generate/prompt_padding_mask"]).Select(row => row.Select(v => v != 0).ToArray())]);
        // LlamaCausalLM's default sampler is top-k; the golden run compiled it with the greedy one.
        var result = lm.Generate(prompts, new GenerationOptions { Sampler = Sampler.Greedy, StopTokenIds = stopTokenIds, KeepStepLogits = true });

        Assert.Equal(Ids(io[$"{prefix}/token_ids"]), result.TokenIds);
        Assert.Equal(Ids(io[$"{prefix}/padding_mask"]).Select(row => row.Select(v => v != 0)), result.PaddingMask);
        Assert.Equal(io[$"{prefix}/step_positions"].ToDoubles().Select(v => (int)v), result.Steps.Select(s => s.Position));
        var expected = io[$"{prefix}/step_logits"].ToFloats();
        var actual = result.Steps.SelectMany(s => s.Logits!.SelectMany(row => row)).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= Atol + Rtol * Math.Abs(expected[i]), $"step logit {i}: {actual[i]} vs Keras {expected[i]}");
    }
}
