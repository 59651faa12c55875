using System.Text.Json.Nodes;
using KerasPort.Converters.Keras;
using KerasPort.Runtime.Layers;
using static TorchSharp.torch;

namespace KerasPort.Tests.Runtime;

/// <summary>
/// The recurrent weight layouts that no golden case ships (Keras 1 per-gate arrays, Keras 2 cuDNN biases) give
/// the same layer as the Keras 2/3 fused layout they encode.
/// </summary>
public sealed class RecurrentWeightLayoutTests
{
    const int Input = 3, Units = 4, Steps = 5;
    static readonly Random Random = new(7);

    [Fact]
    public void Keras1LstmGatesMatchTheFusedKernel()
    {
        var (kernel, recurrent, bias) = (Floats(Input, 4 * Units), Floats(Units, 4 * Units), Floats(4 * Units));
        var fused = Run("LSTM", KerasGeneration.Keras2, new() { ["units"] = Units, ["recurrent_activation"] = "hard_sigmoid" },
            [Array("kernel", kernel, Input, 4 * Units), Array("recurrent_kernel", recurrent, Units, 4 * Units), Array("bias", bias, 4 * Units)]);
        // Keras 1 files store W, U, b per gate in the order i, c, f, o; the fused kernel's gate columns are i, f, c, o.
        var split = "icfo".SelectMany(g => PerGate(g, "ifco".IndexOf(g), kernel, recurrent, bias)).ToList();
        var keras1 = Keras1("LSTM", new() { ["output_dim"] = Units, ["inner_activation"] = "hard_sigmoid", ["activation"] = "tanh" });
        AssertSame(fused, Run("LSTM", KerasGeneration.Keras1, keras1, split));
        // The names, not the positions, decide which array is which gate.
        AssertSame(fused, Run("LSTM", KerasGeneration.Keras1, keras1, [.. split.AsEnumerable().Reverse()]));
    }

    [Fact]
    public void Keras1GruGatesMatchTheFusedKernel()
    {
        var (kernel, recurrent, bias) = (Floats(Input, 3 * Units), Floats(Units, 3 * Units), Floats(3 * Units));
        var fused = Run("GRU", KerasGeneration.Keras2, new() { ["units"] = Units, ["recurrent_activation"] = "hard_sigmoid", ["reset_after"] = false },
            [Array("kernel", kernel, Input, 3 * Units), Array("recurrent_kernel", recurrent, Units, 3 * Units), Array("bias", bias, 3 * Units)]);
        var split = "zrh".SelectMany((g, i) => PerGate(g, i, kernel, recurrent, bias)).ToList();
        AssertSame(fused, Run("GRU", KerasGeneration.Keras1, Keras1("GRU", new() { ["output_dim"] = Units, ["activation"] = "tanh" }), split));
    }

    [Fact]
    public void CuDnnLstmAddsItsTwoBiases()
    {
        var (kernel, recurrent, inputBias, recurrentBias) = (Floats(Input, 4 * Units), Floats(Units, 4 * Units), Floats(4 * Units), Floats(4 * Units));
        var fused = Run("LSTM", KerasGeneration.Keras2, new() { ["units"] = Units, ["recurrent_activation"] = "sigmoid" },
            [Array("kernel", kernel, Input, 4 * Units), Array("recurrent_kernel", recurrent, Units, 4 * Units),
             Array("bias", inputBias.Zip(recurrentBias, (a, b) => a + b).ToArray(), 4 * Units)]);
        var cudnn = Run("CuDNNLSTM", KerasGeneration.Keras2, new() { ["units"] = Units },
            [Array("kernel", kernel, Input, 4 * Units), Array("recurrent_kernel", recurrent, Units, 4 * Units),
             Array("bias", [.. inputBias, .. recurrentBias], 8 * Units)]);
        AssertSame(fused, cudnn);
    }

    [Fact]
    public void CuDnnGruIsAResetAfterGru()
    {
        var (kernel, recurrent, biases) = (Floats(Input, 3 * Units), Floats(Units, 3 * Units), Floats(6 * Units));
        var resetAfter = Run("GRU", KerasGeneration.Keras2, new() { ["units"] = Units, ["recurrent_activation"] = "sigmoid", ["reset_after"] = true },
            [Array("kernel", kernel, Input, 3 * Units), Array("recurrent_kernel", recurrent, Units, 3 * Units), Array("bias", biases, 2, 3 * Units)]);
        var cudnn = Run("CuDNNGRU", KerasGeneration.Keras2, new() { ["units"] = Units },
            [Array("kernel", kernel, Input, 3 * Units), Array("recurrent_kernel", recurrent, Units, 3 * Units), Array("bias", biases, 6 * Units)]);
        AssertSame(resetAfter, cudnn);
    }

    /// <summary>A Keras 1 config as every reader hands it on: in Keras 3 names (<see cref="LegacyConfigNormalizer"/>).</summary>
    static JsonObject Keras1(string className, JsonObject config) => LegacyConfigNormalizer.Normalize(className, config, "tensorflow").Config;

    /// <summary>Gate <paramref name="gate"/>'s W, U and b, cut from column block <paramref name="block"/> of the fused arrays.</summary>
    static IEnumerable<WeightArray> PerGate(char gate, int block, float[] kernel, float[] recurrent, float[] bias)
    {
        int gates = bias.Length / Units;
        float[] Columns(float[] matrix, int rows) =>
            Enumerable.Range(0, rows).SelectMany(r => matrix.Skip(r * gates * Units + block * Units).Take(Units)).ToArray();
        yield return Array($"layer_W_{gate}:0", Columns(kernel, Input), Input, Units);
        yield return Array($"layer_U_{gate}:0", Columns(recurrent, Units), Units, Units);
        yield return Array($"layer_b_{gate}:0", bias.Skip(block * Units).Take(Units).ToArray(), Units);
    }

    static float[] Run(string className, KerasGeneration generation, JsonObject config, IReadOnlyList<WeightArray> weights)
    {
        config["name"] = "layer";
        config["return_sequences"] = true;
        var registry = LayerRegistry.CreateDefault();
        // Round-trip through text: configs come from parsed files, whose numbers LayerContext reads.
        var parsed = JsonNode.Parse(config.ToJsonString())!.AsObject();
        var description = new LayerDescription { Name = "layer", ClassName = className, Config = parsed, Weights = weights };
        using var layer = registry.Create(new LayerContext(description, generation, CPU, registry));
        using var scope = NewDisposeScope();
        var x = tensor(Sequence, [2, Steps, Input]);
        return layer.Call(new CallArguments([x], new Dictionary<string, object?>()))[0].data<float>().ToArray();
    }

    static readonly float[] Sequence = Floats(2, Steps, Input);

    static void AssertSame(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6, $"element {i}: {actual[i]} vs {expected[i]}");
    }

    static WeightArray Array(string name, float[] values, params long[] shape) => new(name, NdArray.Of(values, shape));

    static float[] Floats(params int[] shape) =>
        Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => (float)(Random.NextDouble() * 2 - 1)).ToArray();
}
