using System.IO.Compression;
using System.Text.Json.Nodes;
using KerasPort.KerasHub;
using KerasPort.Reference.Golden;
using KerasPort.Reference.Parity;

namespace KerasPort.Tests.KerasHub;

/// <summary>
/// KerasHub SentencePiece tokenizers against the golden cases made by keras-hub 0.31.1 (../shared/golden/kerashub):
/// the tokenizer saved alone (<c>sentencepiece_tokenizer</c>) and the GemmaCausalLMPreprocessor inside
/// <c>gemma_causal_lm_generate</c>. Everything is compared exactly.
/// </summary>
public sealed class SentencePieceGoldenTests
{
    static string CaseFolder(string name) => SharedData.GoldenPath("kerashub", name);

    [SkippableFact]
    public void SavedTokenizerMatchesEveryRecordOfTheGoldenCase()
    {
        var result = TokenizerParity.Run(GoldenCase.Load(CaseFolder("sentencepiece_tokenizer")));
        Assert.True(result.Status == ParityStatus.Pass, result.Describe());
        Assert.Equal(11, result.Comparisons.Count);
    }

    [SkippableFact]
    public void SavedTokenizerKeepsItsSettings()
    {
        var tokenizer = KerasHubTokenizer.Load(Path.Combine(CaseFolder("sentencepiece_tokenizer"), "model.keras"));
        Assert.Equal("SentencePieceTokenizer", tokenizer.ClassName);
        Assert.Equal(16, tokenizer.SequenceLength);
        Assert.Equal(64, tokenizer.VocabularySize);
        // The base class has no pad token: keras-hub pads with 0.
        Assert.Equal(0, tokenizer.PadTokenId);
        Assert.Null(tokenizer.StartTokenId);
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.IdToToken(64));
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Detokenize([1, -1]));
    }

    [SkippableFact]
    public void GemmaPreprocessorGivesTheGoldenPromptIdsPiecesAndOutputStrings()
    {
        var folder = CaseFolder("gemma_causal_lm_generate");
        var generate = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "case.json")))!["generate"]!;
        var preprocessor = CausalLMPreprocessor.Load(Path.Combine(folder, "model.keras"));
        Assert.Equal("GemmaCausalLMPreprocessor", preprocessor.Config.ClassName);
        Assert.Equal(16, preprocessor.SequenceLength);
        var special = generate["special_token_ids"]!;
        Assert.Equal((int)special["bos"]!, preprocessor.Tokenizer.StartTokenId);
        Assert.Equal((int)special["eos"]!, preprocessor.Tokenizer.EndTokenId);
        Assert.Equal((int)special["pad"]!, preprocessor.Tokenizer.PadTokenId);

        var prompts = Strings(generate["prompts"]);
        var inputs = preprocessor.GeneratePreprocess(prompts);
        Assert.Equal(Rows(generate["prompt_token_ids"]), inputs.TokenIds);
        Assert.Equal(Rows(generate["prompt_padding_mask"]), inputs.PaddingMask.Select(row => row.Select(m => m ? 1 : 0).ToArray()).ToArray());
        var pieces = inputs.TokenIds.Select((row, r) => row.Where((_, i) => inputs.PaddingMask[r][i]).Select(preprocessor.Tokenizer.IdToToken).ToArray());
        Assert.Equal(((JsonArray)generate["prompt_pieces"]!).Select(Strings), pieces);

        var outputs = preprocessor.GeneratePostprocess(Rows(generate["token_ids"]), Rows(generate["padding_mask"]));
        Assert.Equal(Strings(generate["output_strings"]), outputs);
    }

    [SkippableFact]
    public void PresetFolderLoadsLikeTheArchive()
    {
        var archive = Path.Combine(CaseFolder("gemma_causal_lm_generate"), "model.keras");
        var preset = Directory.CreateTempSubdirectory("kerashub-preset-");
        try
        {
            // A preset as keras-hub's save_to_preset lays it out: preprocessor.json (with its tokenizer) and assets/tokenizer/.
            using (var zip = ZipFile.OpenRead(archive))
            {
                var root = JsonNode.Parse(new StreamReader(zip.GetEntry("config.json")!.Open()).ReadToEnd())!;
                File.WriteAllText(Path.Combine(preset.FullName, "preprocessor.json"), root["config"]!["preprocessor"]!.ToJsonString());
                Directory.CreateDirectory(Path.Combine(preset.FullName, "assets", "tokenizer"));
                zip.GetEntry("assets/preprocessor/tokenizer/vocabulary.spm")!.ExtractToFile(Path.Combine(preset.FullName, "assets", "tokenizer", "vocabulary.spm"));
            }
            var fromPreset = CausalLMPreprocessor.Load(preset.FullName).GeneratePreprocess(["the world is wide"]);
            var fromArchive = CausalLMPreprocessor.Load(archive).GeneratePreprocess(["the world is wide"]);
            Assert.Equal(fromArchive.TokenIds, fromPreset.TokenIds);
            Assert.Equal(fromArchive.PaddingMask, fromPreset.PaddingMask);
        }
        finally { preset.Delete(true); }
    }

    [SkippableFact]
    public void TokenizerAloneIsNoPreprocessor()
    {
        var path = Path.Combine(CaseFolder("sentencepiece_tokenizer"), "model.keras");
        var error = Assert.Throws<ModelFileException>(() => CausalLMPreprocessor.Load(path));
        Assert.Contains(path, error.Message);
    }

    static string[] Strings(JsonNode? node) => ((JsonArray)node!).Select(n => (string)n!).ToArray();

    static int[][] Rows(JsonNode? node) => ((JsonArray)node!).Select(row => ((JsonArray)row!).Select(v => v is JsonValue value && value.TryGetValue<bool>(out var b) ? (b ? 1 : 0) : (int)v!).ToArray()).ToArray();
}
