using System.Text.Json.Nodes;
using KerasPort.KerasHub;

namespace KerasPort.Tests.KerasHub;

/// <summary>
/// SentencePiece tokenizers against the real <c>sentencepiece</c> package (what keras-hub's SentencePieceTokenizer
/// runs) on models it trains here (Tests/python/sentencepiece_case.py): byte-fallback BPE with a user-defined symbol,
/// unigram with NFKC normalization, and unigram keeping extra whitespace. Ids, pieces and decoded text compare exactly.
/// </summary>
[Trait("Category", RealKeras.Category)]
public sealed class SentencePieceRealTests(SentencePieceRealTests.TrainedModels models) : IClassFixture<SentencePieceRealTests.TrainedModels>
{
    /// <summary>The models and cases.json the script writes, made once for the class; the folder is removed afterwards.</summary>
    public sealed class TrainedModels : IDisposable
    {
        readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kerashub-spm-");
        readonly Lazy<JsonObject> _cases;

        public TrainedModels() => _cases = new(() =>
        {
            var (exitCode, output) = RealKeras.Run(Path.Combine(TestPaths.RepoRoot, "Tests", "python", "sentencepiece_case.py"), _folder.FullName);
            Assert.True(exitCode == 0, output);
            return (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(_folder.FullName, "cases.json")))!;
        });

        public string Folder => _folder.FullName;

        public JsonObject Cases => _cases.Value;

        public void Dispose() => _folder.Delete(true);
    }

    [SkippableTheory]
    [InlineData("bpe_byte_fallback")]
    [InlineData("unigram_nfkc")]
    [InlineData("unigram_keep_spaces")]
    public void MatchesTheSentencePiecePackage(string model)
    {
        var expected = models.Cases[model]!;
        var assets = new KerasHubTokenizerAssets { SentencePieceProto = File.ReadAllBytes(Path.Combine(models.Folder, model + ".spm")) };
        var config = new KerasHubTokenizerConfig { Class = KerasHubTokenizerClass.Known["SentencePieceTokenizer"] };
        var plain = KerasHubTokenizer.Create(config, assets);
        var withBosEos = KerasHubTokenizer.Create(config with { AddBos = true, AddEos = true }, assets);
        var probes = Strings(expected["probes"]);
        Assert.Equal(Rows(expected["ids"]), plain.Tokenize(probes));
        Assert.Equal(Rows(expected["ids_bos_eos"]), withBosEos.Tokenize(probes));
        Assert.Equal(((JsonArray)expected["pieces"]!).Select(Strings), probes.Select(plain.TokenizeToTokens));
        Assert.Equal(Strings(expected["decoded"]), plain.Detokenize(plain.Tokenize(probes)));
        Assert.Equal(Strings(expected["id_probes_decoded"]), plain.Detokenize(Rows(expected["id_probes"])));
    }

    /// <summary>
    /// <see cref="CausalLM"/>'s streamed text (<see cref="StreamedText"/>) on every probe and random id row, split at
    /// every prompt length: the prompt's text and the streamed texts join to the package's <c>Decode</c> of the row,
    /// byte pieces of one character (日本語, 🙂 with byte fallback) included, and the pieces of an unfinished character
    /// stream nothing until it is complete.
    /// </summary>
    [SkippableTheory]
    [InlineData("bpe_byte_fallback")]
    [InlineData("unigram_nfkc")]
    [InlineData("unigram_keep_spaces")]
    public void StreamedTextJoinsToThePackagesDecode(string model)
    {
        var expected = models.Cases[model]!;
        var assets = new KerasHubTokenizerAssets { SentencePieceProto = File.ReadAllBytes(Path.Combine(models.Folder, model + ".spm")) };
        var config = new KerasHubTokenizerConfig { Class = KerasHubTokenizerClass.Known["SentencePieceTokenizer"] };
        var preprocessor = new CausalLMPreprocessor(new KerasHubPreprocessorConfig { ClassName = "CausalLMPreprocessor", Tokenizer = config }, KerasHubTokenizer.Create(config, assets));
        var rows = Rows(expected["ids"]).Concat(Rows(expected["id_probes"])).ToArray();
        var decoded = Strings(expected["decoded"]).Concat(Strings(expected["id_probes_decoded"])).ToArray();
        bool heldBack = false;
        for (int r = 0; r < rows.Length; r++)
            for (int promptLength = 0; promptLength < rows[r].Length; promptLength++)
            {
                var prompt = rows[r][..promptLength];
                var streamed = new StreamedText(preprocessor, prompt);
                var text = preprocessor.GeneratePostprocess([prompt], [[.. prompt.Select(_ => 1)]])[0];
                // A prompt tokenized from text ends on a whole character; one cut inside a character's bytes spells U+FFFD that the row does not.
                if (!decoded[r].StartsWith(text, StringComparison.Ordinal)) continue;
                for (int i = promptLength; i < rows[r].Length; i++)
                {
                    var added = streamed.Add(rows[r][i], isLast: i == rows[r].Length - 1);
                    heldBack |= added.Length == 0 && i < rows[r].Length - 1 && config.Class.Family == TokenizerFamily.SentencePiece
                        && preprocessor.Tokenizer.IdToToken(rows[r][i]).StartsWith("<0x", StringComparison.Ordinal);
                    text += added;
                }
                Assert.True(decoded[r] == text, $"row {r} ({string.Join(" ", rows[r])}) from prompt length {promptLength}: streamed '{text}', Decode '{decoded[r]}'");
            }
        Assert.Equal(model == "bpe_byte_fallback", heldBack);
    }

    static string[] Strings(JsonNode? node) => ((JsonArray)node!).Select(n => (string)n!).ToArray();

    static int[][] Rows(JsonNode? node) => ((JsonArray)node!).Select(row => ((JsonArray)row!).Select(v => (int)v!).ToArray()).ToArray();
}
