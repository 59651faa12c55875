using System.Text.Json.Nodes;
using KerasPort.Converters.Keras;
using KerasPort.Runtime.Layers.KerasHub.Modeling;
using KerasPort.Specs.KerasHub;
using static TorchSharp.torch;

namespace KerasPort.Tests.Runtime.KerasHub;

/// <summary>
/// KerasHub's <c>RotaryEmbedding</c> against keras-hub 0.31.1 itself: the expected values were printed by
/// <c>keras_hub.src.layers.modeling.rotary_embedding.RotaryEmbedding</c> on Keras 3.15.1 (torch backend) for the input
/// <c>(arange(24).reshape(1, 3, 2, 4) - 11) / 7</c> (the golden Llama, Mistral, Qwen and Gemma cases cover the
/// defaults through the attention layers).
/// </summary>
public sealed class RotaryEmbeddingTests
{
    static Tensor Input(params long[] shape) => arange(24, ScalarType.Float32).sub(11).div(7).reshape(shape);

    public static TheoryData<string, RotaryEmbeddingSpec, long, float[]> Cases => new()
    {
        { "linear", new RotaryEmbeddingSpec(MaxWavelength: 100, ScalingFactor: 2), 3,
            [1.171335f, -1.241744f, -1.65844f, -1.343507f, 0.6417593f, -0.7621248f, -1.048022f, -0.6931019f, 0.3082483f, -0.280019f, -0.3302493f, -0.05676267f, -0.4491484f, 0.1664937f, -0.04844901f, 0.6168008f, -1.170717f, 0.547749f, -0.3736635f, 1.319389f, -1.970498f, 0.9600396f, -0.4894757f, 2.014427f] },
        { "dynamic", new RotaryEmbeddingSpec(RopeType: RotaryEmbeddingSpec.Dynamic, ScalingFactor: 3), 1,
            [-1.419175f, -1.427301f, -1.45203f, -1.144444f, -0.9146316f, -0.8565074f, -0.8207637f, -0.5723806f, -0.3865475f, -0.2857136f, -0.2338005f, -0.0006349201f, 0.04488813f, 0.2844438f, 0.4495183f, 0.5720621f, 0.3477745f, 0.8533286f, 1.178668f, 1.145708f, 0.7007815f, 1.422849f, 1.905611f, 1.719038f] },
        { "yarn", new RotaryEmbeddingSpec(MaxWavelength: 50, RopeType: RotaryEmbeddingSpec.Yarn, ScalingFactor: 4, OriginalMaxPositionEmbeddings: 4, Truncate: true, BetaFast: 2), 2,
            [2.075769f, -1.53061f, -1.017764f, -1.412962f, 1.213375f, -0.9275599f, -0.6968977f, -0.7179734f, 0.5060553f, -0.3234945f, 0.0921692f, -0.03444102f, -0.2298978f, 0.2546124f, -0.4601458f, 0.68143f, 0.3301048f, 0.7828072f, -1.35977f, 1.425863f, 0.3972247f, 1.335248f, -2.277471f, 2.161721f] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RotatesAsKerasHubDoes(string ropeType, RotaryEmbeddingSpec spec, long startIndex, float[] expected)
    {
        using var scope = NewDisposeScope();
        var actual = RotaryEmbedding.Apply(Input(1, 3, 2, 4), spec, startIndex);
        AssertClose(ropeType, expected, actual);
    }

    [Fact]
    public void HonoursSequenceAndFeatureAxes()
    {
        using var scope = NewDisposeScope();
        var actual = RotaryEmbedding.Apply(Input(1, 4, 2, 3), new RotaryEmbeddingSpec(MaxWavelength: 10, SequenceAxis: 3, FeatureAxis: 1));
        AssertClose("axes", [-1.571429f, -1.012281f, 0.145347f, -1.142857f, -1.141353f, -0.4227005f, -0.7142857f, -0.8985044f, -1.105697f, -0.2857143f, -0.6244621f, -1.013361f, 0.1428571f, -1.047729f, -1.347445f, 0.5714286f, -0.4555407f, -1.136095f, 1f, 0.9084841f, 0.7836892f, 1.428571f, 1.449084f, 1.382706f], actual);
    }

    [Fact]
    public void ExplicitPositionsOverrideTheStartIndex()
    {
        using var scope = NewDisposeScope();
        var positions = tensor(new[] { 5, 0, 2 }, [1, 3], ScalarType.Int32);
        var actual = RotaryEmbedding.Apply(Input(1, 3, 2, 4), new RotaryEmbeddingSpec(MaxWavelength: 10), startIndex: 7, positions);
        AssertClose("positions", [-1.678658f, 1.157571f, 1.142172f, -1.416675f, -0.9686081f, 0.5802629f, 0.7563084f, -0.8511871f, -0.4285714f, -0.2857143f, -0.1428571f, 0f, 0.1428571f, 0.2857143f, 0.4285714f, 0.5714286f, -1.206545f, 0.01577902f, 0.2333513f, 1.428484f, -1.963942f, 0.1388942f, 0.5151517f, 2.227173f], actual);
    }

    [Fact]
    public void RefusesAnOddRotaryDimension()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => RotaryEmbedding.Apply(zeros(1, 3, 5), new RotaryEmbeddingSpec()));
        Assert.Contains("must be even, got 5", error.Message);
    }

    [Fact]
    public void RefusesAnUnknownRopeTypeNamingTheLayer()
    {
        var layer = LayerReader.Of(new LayerDescription { Name = "rope", ClassName = "RotaryEmbedding", Config = new JsonObject { ["rope_type"] = "ntk" } }, 3);
        var error = Assert.Throws<LayerConfigException>(() => RotaryEmbeddingSpec.Read(layer));
        Assert.Contains("'rope'", error.Message);
        Assert.Contains("rope_type", error.Message);
    }

    internal static void AssertClose(string label, float[] expected, Tensor actual)
    {
        var values = actual.contiguous().data<float>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(values[i] - expected[i]) <= 1e-5 + 1e-5 * Math.Abs(expected[i]), $"{label}[{i}]: {values[i]} != {expected[i]}");
    }
}
