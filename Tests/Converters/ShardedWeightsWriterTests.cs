using System.Text.Json.Nodes;
using KerasPort.Tests.Cli;

namespace KerasPort.Tests.Converters;

/// <summary>
/// <c>convert --to keras-weights --max-shard-size</c>: the committed golden case <c>keras3/sharded_weights</c> holds what
/// Keras's <c>save_weights("model.weights.json", max_shard_size=2350 bytes)</c> wrote. The same limit must split the
/// weights exactly as Keras did, and the written files must load back. (Real Keras loading every golden case's sharded
/// weights is GoldenReloadTests.)
/// </summary>
public sealed class ShardedWeightsWriterTests
{
    static readonly string Case = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "keras3", "sharded_weights");

    /// <summary>2350 bytes in Keras's unit (GB of 1024^3 bytes), rounded up to the byte.</summary>
    const string KerasShardSize = "0.0000021886";

    [Fact]
    public void TheShardsAndTheirIndexAreKerasOwn()
    {
        using var scratch = new ConvertTests.Scratch();
        var index = Path.Combine(scratch.Dir, "model.weights.json");
        var (exitCode, output) = CliTests.Run("convert", Path.Combine(Case, "model.keras"), "--to", "keras-weights", "--max-shard-size", KerasShardSize, "-o", index);

        Assert.True(exitCode == 0, output);
        Assert.Contains("verify: max abs difference 0", output);
        Assert.Contains($"wrote {Path.Combine(scratch.Dir, "model.json")}: the architecture, and 3 shards of weights", output);
        var written = JsonNode.Parse(File.ReadAllText(index))!;
        var keras = JsonNode.Parse(File.ReadAllText(Path.Combine(Case, "model.weights.json")))!;
        Assert.True(JsonNode.DeepEquals(keras["weight_map"], written["weight_map"]), written.ToJsonString());
        Assert.Equal((double)keras["metadata"]!["total_size"]!, (double)written["metadata"]!["total_size"]!);
        Assert.Equal(["model.json", "model.weights.json", "model_00000.weights.h5", "model_00001.weights.h5", "model_00002.weights.h5"],
            Directory.GetFiles(scratch.Dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void UnshardedWeightsGoBesideTheirArchitecture()
    {
        using var scratch = new ConvertTests.Scratch();
        var weights = Path.Combine(scratch.Dir, "mlp.weights.h5");
        var (exitCode, output) = CliTests.Run("convert", Path.Combine(Case, "model.keras"), "--to", "keras-weights", "-o", weights);

        Assert.True(exitCode == 0, output);
        Assert.Contains("verify: max abs difference 0", output);
        using var model = KerasModel.Load(Path.Combine(scratch.Dir, "mlp.json"), weights);
        Assert.Equal(1571, ParamCounter.Count(model).Total);
    }

    [Theory]
    [InlineData("0.000000001", "is 1,536 bytes, more than the largest shard allowed (2 bytes)")]
    [InlineData(null, "--max-shard-size applies to --to keras-weights only")]
    public void ImpossibleShardingIsAUsageError(string? shardSize, string message)
    {
        using var scratch = new ConvertTests.Scratch();
        string[] args = shardSize is null
            ? ["convert", Path.Combine(Case, "model.keras"), "--to", "keras", "--max-shard-size", "1", "-o", Path.Combine(scratch.Dir, "m.keras")]
            : ["convert", Path.Combine(Case, "model.keras"), "--to", "keras-weights", "--max-shard-size", shardSize, "-o", Path.Combine(scratch.Dir, "m.weights.json")];
        var (exitCode, stdout, stderr) = CliTests.RunSeparately(args);

        Assert.Equal(2, exitCode);
        Assert.Contains(message, stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Empty(Directory.GetFiles(scratch.Dir));
        Assert.DoesNotContain("wrote", stdout);
    }
}
