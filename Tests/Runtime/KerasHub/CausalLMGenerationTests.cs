using System.IO.Compression;
using KerasPort.KerasHub;

namespace KerasPort.Tests.Runtime.KerasHub;

/// <summary>
/// <see cref="CausalLM"/> against keras-hub 0.31.1's own <c>generate</c> (golden case <c>kerashub/gemma_causal_lm_generate</c>:
/// greedy, max_length 16, with and without the <c>&lt;eos&gt;</c> stop token): the generated ids and padding mask
/// exactly, and the logits of every step within the case's tolerance.
/// </summary>
public sealed class CausalLMGenerationTests
{
    const double Atol = 1e-5, Rtol = 1e-4;
    const int Eos = 1;

    static string Case => SharedData.GoldenPath("kerashub", "gemma_causal_lm_generate");

    static int[][] Rows(NdArray array) => [.. array.ToDoubles().Select(v => (int)v).Chunk((int)array.Shape[^1])];

    static bool[][] Masks(NdArray array) => [.. array.ToDoubles().Select(v => v != 0).Chunk((int)array.Shape[^1])];

    static CausalLMInputs Prompts(IReadOnlyDictionary<string, NdArray> io) =>
        new(Rows(io["generate/prompt_token_ids"]), Masks(io["generate/prompt_padding_mask"]));

    [SkippableTheory]
    [InlineData("generate", true)]
    [InlineData("generate_nostop", false)]
    public void GreedyGenerationMatchesKerasHub(string prefix, bool stopAtEos)
    {
        var io = NpzArchive.Read(Path.Combine(Case, "io.npz"));
        using var lm = CausalLM.Load(Path.Combine(Case, "model.keras"));
        var streamed = new List<GeneratedToken>();
        var result = lm.Generate(Prompts(io), new GenerationOptions { StopTokenIds = stopAtEos ? [Eos] : null, KeepStepLogits = true }, streamed.Add);

        Assert.Equal(Rows(io[$"{prefix}/token_ids"]), result.TokenIds);
        Assert.Equal(Masks(io[$"{prefix}/padding_mask"]), result.PaddingMask);
        var positions = io[$"{prefix}/step_positions"].ToDoubles().Select(v => (int)v).ToArray();
        Assert.Equal(positions, result.Steps.Select(s => s.Position));
        var expected = io[$"{prefix}/step_logits"].ToFloats();
        var actual = result.Steps.SelectMany(s => s.Logits!.SelectMany(row => row)).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= Atol + Rtol * Math.Abs(expected[i]), $"step logit {i}: {actual[i]} vs Keras {expected[i]}");
        // Streamed tokens are the generated positions of each row, up to and including its stop token.
        for (int row = 0; row < result.TokenIds.Length; row++)
        {
            var generated = Enumerable.Range(0, result.TokenIds[row].Length)
                .Where(p => p >= positions[0] && p <= positions[^1] && !Prompts(io).PaddingMask[row][p] && result.PaddingMask[row][p]);
            Assert.Equal(generated.Select(p => result.TokenIds[row][p]), streamed.Where(t => t.Row == row).Select(t => t.TokenId));
        }
    }

    [SkippableFact]
    public async Task StreamingYieldsTheTokensOfTheSynchronousRun()
    {
        var io = NpzArchive.Read(Path.Combine(Case, "io.npz"));
        using var lm = CausalLM.Load(Path.Combine(Case, "model.keras"));
        var options = new GenerationOptions { StopTokenIds = [Eos] };
        var expected = new List<GeneratedToken>();
        lm.Generate(Prompts(io), options, expected.Add);
        var streamed = new List<GeneratedToken>();
        await foreach (var token in lm.GenerateAsync(Prompts(io), options)) streamed.Add(token);
        Assert.Equal(expected, streamed);
        Assert.Contains(streamed, t => t.IsStop);
    }

    [SkippableFact]
    public void SeededSamplersRepeatAndStayInTheirCandidates()
    {
        var io = NpzArchive.Read(Path.Combine(Case, "io.npz"));
        using var lm = CausalLM.Load(Path.Combine(Case, "model.keras"));
        foreach (var sampler in new[] { Sampler.TopK(3, seed: 7), Sampler.TopP(0.5, seed: 7) })
        {
            var options = new GenerationOptions { Sampler = sampler, KeepStepLogits = true };
            var first = lm.Generate(Prompts(io), options);
            Assert.Equal(first.TokenIds, lm.Generate(Prompts(io), options).TokenIds);
            foreach (var step in first.Steps)
                for (int row = 0; row < first.TokenIds.Length; row++)
                {
                    if (Prompts(io).PaddingMask[row][step.Position]) continue;
                    Assert.Contains(first.TokenIds[row][step.Position], Candidates(sampler, step.Logits![row]));
                }
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => lm.Generate(Prompts(io), new GenerationOptions { Sampler = Sampler.TopK(0) }));
    }

    /// <summary>The tokens a sampler may pick: top-k's k most likely; top-p's most likely ones whose preceding cumulative probability is at most p.</summary>
    static IEnumerable<int> Candidates(Sampler sampler, float[] logits)
    {
        var probabilities = logits.Select(l => Math.Exp(l - logits.Max())).ToArray();
        var order = Enumerable.Range(0, logits.Length).OrderByDescending(i => probabilities[i]).ToArray();
        if (sampler is TopKSampler topK) return order.Take(topK.K);
        double total = probabilities.Sum(), before = 0, p = ((TopPSampler)sampler).P;
        return order.TakeWhile(i => { bool keep = before <= p; before += probabilities[i] / total; return keep; }).ToList();
    }

    /// <summary>
    /// <c>CausalLM.Load(path)</c> alone generates keras-hub's strings: the saved GemmaCausalLMPreprocessor comes with the
    /// model from the one read of the file (the file is gone before the text generation starts), and the streamed
    /// texts, after the prompt's, spell each output string.
    /// </summary>
    [SkippableFact]
    public async Task LoadAloneGeneratesKerasHubsStringsWithTheSavedPreprocessor()
    {
        var generate = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Case, "case.json")))!["generate"]!;
        string[] prompts = [.. generate["prompts"]!.AsArray().Select(p => (string)p!)];
        string[] expected = [.. generate["output_strings"]!.AsArray().Select(p => (string)p!)];
        var copy = Path.Combine(Path.GetTempPath(), $"kerasport-causal-lm-{Guid.NewGuid():N}.keras");
        File.Copy(Path.Combine(Case, "model.keras"), copy);
        CausalLM lm;
        try { lm = CausalLM.Load(copy); }
        finally { File.Delete(copy); }
        using (lm)
        {
            Assert.Equal(expected, lm.Generate(prompts));
            var preprocessor = lm.Preprocessor!;
            var inputs = preprocessor.GenerateInputs(prompts);
            var texts = preprocessor.Postprocess(inputs.TokenIds, inputs.PaddingMask).ToArray();
            await foreach (var token in lm.GenerateAsync(prompts)) texts[token.Row] += token.Text;
            Assert.Equal(expected, texts);
        }
    }

    /// <summary>
    /// A saved tokenizer KerasPort cannot read does not stop the model: token ids still generate, and the tokenizer's
    /// error (naming its class) comes when text is asked for. An unzipped copy of the task brings its preprocessor too.
    /// </summary>
    [SkippableFact]
    public void TheSavedPreprocessorIsReadWithTheModelAndItsErrorWaitsForText()
    {
        var folder = Directory.CreateTempSubdirectory("kerasport-causal-lm-");
        try
        {
            ZipFile.ExtractToDirectory(Path.Combine(Case, "model.keras"), folder.FullName);
            using (var unzipped = CausalLM.Load(folder.FullName))
                Assert.Equal("GemmaCausalLMPreprocessor", ((CausalLMPreprocessor)unzipped.Preprocessor!).Config.ClassName);

            var config = Path.Combine(folder.FullName, "config.json");
            File.WriteAllText(config, File.ReadAllText(config).Replace("\"GemmaTokenizer\"", "\"FancyTokenizer\"", StringComparison.Ordinal));
            using var lm = CausalLM.Load(folder.FullName);
            var io = NpzArchive.Read(Path.Combine(Case, "io.npz"));
            Assert.Equal(Rows(io["generate/token_ids"]), lm.Generate(Prompts(io), new GenerationOptions { StopTokenIds = [Eos] }).TokenIds);
            var error = Assert.Throws<UnsupportedLayerException>(() => lm.Generate(["the quick brown fox"]));
            Assert.Contains("FancyTokenizer", error.Message);
        }
        finally { folder.Delete(true); }
    }

    [SkippableFact]
    public void AnExplicitPreprocessorReplacesTheSavedOne()
    {
        var path = Path.Combine(Case, "model.keras");
        var preprocessor = CausalLMPreprocessor.Load(path);
        using var lm = CausalLM.Load(path, preprocessor);
        Assert.Same(preprocessor, lm.Preprocessor);
    }

    [SkippableFact]
    public void RefusesAModelThatIsNotACausalLM()
    {
        using var backbone = KerasModel.Load(SharedData.GoldenPath("kerashub", "gemma_backbone", "model.keras"));
        var error = Assert.Throws<KerasPortException>(() => new CausalLM(backbone));
        Assert.Contains("gemma_backbone", error.Message);
    }
}
