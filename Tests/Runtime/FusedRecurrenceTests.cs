using System.Text.Json.Nodes;
using KerasPort.Runtime.Layers;
using static TorchSharp.torch;

namespace KerasPort.Tests.Runtime;

/// <summary>
/// LSTM and GRU (reset_after) without a mask run torch's fused kernel; with a mask they step through time in C#.
/// An all-true mask changes nothing in Keras, so both paths must give the same outputs and states, in every
/// combination of go_backwards and initial states, and the fused path must be safe to call from several threads.
/// </summary>
public sealed class FusedRecurrenceTests
{
    const int Batch = 3, Input = 5, Units = 4, Steps = 7;
    static readonly Random Random = new(11);

    public static TheoryData<string, bool, bool> Cases() => new()
    {
        { "LSTM", false, false }, { "LSTM", true, false }, { "LSTM", false, true }, { "LSTM", true, true },
        { "GRU", false, false }, { "GRU", true, false }, { "GRU", false, true }, { "GRU", true, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FusedKernelMatchesTheStepLoop(string className, bool goBackwards, bool initialStates)
    {
        using var layer = Create(className, goBackwards);
        using var scope = NewDisposeScope();
        var x = Tensor(Batch, Steps, Input);
        var kwargs = new Dictionary<string, object?>();
        if (initialStates) kwargs["initial_state"] = Enumerable.Range(0, className == "LSTM" ? 2 : 1).Select(_ => (object?)Tensor(Batch, Units)).ToList();
        var fused = layer.Call(new CallArguments([x], kwargs));
        var stepped = layer.Call(new CallArguments([x], kwargs, ones(Batch, Steps, dtype: ScalarType.Bool)));
        Assert.Equal(stepped.Length, fused.Length);
        for (int i = 0; i < fused.Length; i++)
        {
            Assert.Equal(stepped[i].shape, fused[i].shape);
            Assert.True(fused[i].allclose(stepped[i], rtol: 1e-5, atol: 1e-6), $"output {i} differs");
        }
    }

    [Theory]
    [InlineData("LSTM")]
    [InlineData("GRU")]
    public void FusedKernelIsSafeFromSeveralThreads(string className)
    {
        using var layer = Create(className, false);
        var data = Floats(Batch * Steps * Input);
        float[] Run()
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            return layer.Call(new CallArguments([tensor(data, [Batch, Steps, Input])], new Dictionary<string, object?>()))[0].data<float>().ToArray();
        }
        var expected = Run();
        var results = new float[32][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => results[i] = Run());
        foreach (var result in results) Assert.Equal(expected, result);
    }

    static KerasLayer Create(string className, bool goBackwards)
    {
        int gates = className == "LSTM" ? 4 : 3;
        var config = new JsonObject
        {
            ["name"] = "layer", ["units"] = Units, ["activation"] = "tanh", ["recurrent_activation"] = "sigmoid",
            ["return_sequences"] = true, ["return_state"] = true, ["go_backwards"] = goBackwards,
        };
        if (className == "GRU") config["reset_after"] = true;
        WeightArray[] weights =
        [
            new("kernel", NdArray.Of(Floats(Input * gates * Units), Input, gates * Units)),
            new("recurrent_kernel", NdArray.Of(Floats(Units * gates * Units), Units, gates * Units)),
            className == "LSTM"
                ? new("bias", NdArray.Of(Floats(gates * Units), gates * Units))
                : new("bias", NdArray.Of(Floats(2 * gates * Units), 2, gates * Units)),
        ];
        var registry = LayerRegistry.CreateDefault();
        var parsed = JsonNode.Parse(config.ToJsonString())!.AsObject();
        var description = new LayerDescription { Name = "layer", ClassName = className, Config = parsed, Weights = weights };
        return registry.Create(new LayerContext(description, KerasGeneration.Keras3, CPU, registry) { InputShapes = [[-1, Steps, Input]] });
    }

    static Tensor Tensor(params long[] shape) => tensor(Floats((int)shape.Aggregate(1L, (a, b) => a * b)), shape);

    static float[] Floats(int count) => Enumerable.Range(0, count).Select(_ => (float)(Random.NextDouble() * 2 - 1)).ToArray();
}
