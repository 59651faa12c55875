namespace KerasPort.Tests.Cli;

/// <summary><c>kerasport generate</c> on the golden GemmaCausalLM (keras-hub's greedy generation of the same prompt is the expectation).</summary>
public sealed class GenerateCliTests
{
    static string Model => SharedData.GoldenPath("kerashub", "gemma_causal_lm_generate", "model.keras");

    [SkippableFact]
    public void GreedyGenerationPrintsKerasHubsTokens()
    {
        var io = NpzArchive.Read(SharedData.GoldenPath("kerashub", "gemma_causal_lm_generate", "io.npz"));
        var ids = io["generate_nostop/token_ids"].ToDoubles().Select(v => (int)v).Take(16).ToArray();
        var promptLength = io["generate/prompt_padding_mask"].ToDoubles().Take(16).Count(v => v != 0);
        var (exitCode, stdout, stderr) = CliTests.RunSeparately("generate", Model, "--prompt", string.Join(" ", ids.Take(promptLength)), "--max-length", "16");
        Assert.True(exitCode == 0, stderr);
        Assert.Equal(string.Join(" ", ids.Skip(promptLength)), stdout.Trim());
    }

    /// <summary>A text prompt goes through the task's saved preprocessor, and the printed line is keras-hub's <c>generate</c> string.</summary>
    [SkippableFact]
    public void ATextPromptPrintsKerasHubsGeneratedString()
    {
        var generate = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(SharedData.GoldenPath("kerashub", "gemma_causal_lm_generate", "case.json")))!["generate"]!;
        for (int row = 0; row < 2; row++)
        {
            var (exitCode, stdout, stderr) = CliTests.RunSeparately("generate", Model, "--prompt", (string)generate["prompts"]![row]!, "--max-length", "16");
            Assert.True(exitCode == 0, stderr);
            Assert.Equal((string)generate["output_strings"]![row]!, stdout.TrimEnd('\n'));
        }
    }

    /// <summary>A task saved without a preprocessor (golden Llama: <c>config.preprocessor</c> is null) has no tokenizer for a text prompt: exit 2, one line naming the file.</summary>
    [SkippableFact]
    public void ATextPromptToATaskWithoutPreprocessorIsAUsageError()
    {
        var model = SharedData.GoldenPath("kerashub", "llama_causal_lm_generate_ids", "model.keras");
        var (exitCode, _, stderr) = CliTests.RunSeparately("generate", model, "--prompt", "the quick brown fox", "--max-length", "16");
        Assert.Equal(2, exitCode);
        Assert.Contains("saved without a preprocessor", stderr);
        Assert.Contains(model, stderr);
    }
}
