using System.Text.Json.Nodes;
using KerasPort.KerasHub;
using Xunit;

namespace KerasPort.Tests.KerasHub;

/// <summary>
/// SentencePiece tokenizers against the real <c>sentencepiece</c> package (what keras-hub's SentencePieceTokenizer
/// runs) on models it trains here (Tests/python/sentencepiece_case.py): byte-fallback BPE with a user-defined symbol,
/// unigram with NFKC normalization, and unigram keeping extra whitespace. Ids, pieces and decoded text compare exactly.
/// </summary>
[Trait("Category", RealKeras.Category)]
public sealed class SentencePieceRealTests
{
    static readonly Lazy<(string Folder, JsonObject Cases)> Made = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("kerashub-spm-").FullName;
        var (exitCode, output) = RealKeras.Run(Path.Combine(TestPaths.RepoRoot, "Tests", "python", "sentencepiece_case.py"), folder);
        Assert.True(exitCode == 0, output);
        return (folder, (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "cases.json")))!);
    });

    [SkippableTheory]
    [InlineData("bpe_byte_fallback")]
    [InlineData("unigram_nfkc")]
    [InlineData("unigram_keep_spaces")]
    public void MatchesTheSentencePiecePackage(string model)
    {
        var (folder, cases) = Made.Value;
        var expected = cases[model]!;
        var assets = new KerasHubTokenizerAssets { SentencePieceProto = File.ReadAllBytes(Path.Combine(folder, model + ".spm")) };
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

    static string[] Strings(JsonNode? node) => ((JsonArray)node!).Select(n => (string)n!).ToArray();

    static int[][] Rows(JsonNode? node) => ((JsonArray)node!).Select(row => ((JsonArray)row!).Select(v => (int)v!).ToArray()).ToArray();
}
