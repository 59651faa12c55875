using System.Text.Json.Nodes;
using KerasPort.Converters.Keras;
using KerasPort.Runtime.Quantization;
using static TorchSharp.torch;

namespace KerasPort.Tests.Runtime;

/// <summary>
/// Keras 3's quantized storage, checked against the examples of Keras's own documentation. The arithmetic of whole
/// layers is checked against real Keras by the keras3/quantized_* golden cases (Tests/parity-ledger.txt).
/// </summary>
public sealed class QuantizationTests
{
    /// <summary>keras/src/quantizers/quantizers.py <c>unpack_int4</c> docstring: [[125, 2], [24, 0]] along axis 1 is [[-3, 7, 2], [-8, 1, 0]].</summary>
    [Fact]
    public void Int4UnpacksAsKerasDocumentsIt()
    {
        using var scope = NewDisposeScope();
        var unpacked = Int4Weights.Unpack(tensor(new float[] { 125, 2, 24, 0 }).reshape(2, 2), 3);
        Assert.Equal(new float[] { -3, 7, 2, -8, 1, 0 }, unpacked.data<float>().ToArray());
    }

    /// <summary>The same docstring's axis-0 bytes 45 and -121 hold (-3, 2) and (7, -8): low nibble first, high nibble signed.</summary>
    [Fact]
    public void Int4UnpacksNegativeBytes()
    {
        using var scope = NewDisposeScope();
        var unpacked = Int4Weights.Unpack(tensor(new float[] { 45, -121 }).reshape(1, 2), 4);
        Assert.Equal(new float[] { -3, 2, 7, -8 }, unpacked.data<float>().ToArray());
    }

    [Theory]
    [InlineData("QuantizedDTypePolicy", "int8", "int8", -1, "int8_from_float32")]
    [InlineData("Int4DTypePolicy", "int4/128", "int4", 128, "int4/128_from_float32")]
    [InlineData("Int4DTypePolicy", "int4/-1", "int4", -1, "int4/-1_from_float32")]
    public void ThePolicyNamesTheMode(string className, string mode, string expectedMode, int blockSize, string policyName)
    {
        var quantization = KerasQuantization.Of(Config(className, mode), "Dense", "d");
        Assert.Equal(new KerasQuantization(expectedMode, blockSize, policyName), quantization);
    }

    /// <summary>Keras 3.0-3.3 wrote a quantized policy by its name alone.</summary>
    [Fact]
    public void AnOlderPolicyNamesItsModeInItsName()
    {
        var config = new JsonObject { ["dtype"] = new JsonObject { ["class_name"] = "QuantizedDTypePolicy", ["config"] = new JsonObject { ["name"] = "int8_from_mixed_bfloat16" } } };
        Assert.Equal(new KerasQuantization("int8", -1, "int8_from_mixed_bfloat16"), KerasQuantization.Of(config, "Dense", "d"));
    }

    /// <summary>GPTQ and AWQ (Keras 3.15.1 saves them without kernel_zero), float8 on an Embedding, and unknown modes.</summary>
    [Theory]
    [InlineData("gptq/4/128", "Dense", "without kernel_zero")]
    [InlineData("awq/4/128", "EinsumDense", "without kernel_zero")]
    [InlineData("float8", "Embedding", "not supported on Embedding")]
    [InlineData("int2", "Dense", "not supported on Dense")]
    public void OtherModesAreRefusedNamingTheLayer(string mode, string className, string why)
    {
        var error = Assert.Throws<UnsupportedLayerException>(() => KerasQuantization.Of(Config("QuantizedDTypePolicy", mode), className, "proj"));
        Assert.Contains("'proj'", error.Message);
        Assert.Contains(mode, error.Message);
        Assert.Contains(why, error.Message);
    }

    /// <summary>dense.py and einsum_dense.py <c>variable_serialization_spec["float8"]</c>; every variable trainable (<c>_float8_build</c>).</summary>
    [Fact]
    public void FloatEightKeepsItsScalesAndHistoriesInKerasOrder()
    {
        var float8 = KerasQuantization.Of(Config("QuantizedFloat8DTypePolicy", "float8"), "Dense", "d")!;
        Assert.Equal(["kernel", "inputs_scale", "inputs_amax_history", "kernel_scale", "kernel_amax_history", "outputs_grad_scale", "outputs_grad_amax_history"],
            float8.Variables("Dense", hasBias: false));
        Assert.Equal("bias", float8.Variables("EinsumDense", hasBias: true)[1]);
        Assert.False(float8.FreezesVariables);
    }

    [Fact]
    public void AFloatPolicyIsNotQuantized() =>
        Assert.Null(KerasQuantization.Of(new JsonObject { ["dtype"] = new JsonObject { ["class_name"] = "DTypePolicy", ["config"] = new JsonObject { ["name"] = "float64" } } }, "Dense", "d"));

    /// <summary>keras/src/layers/core/dense.py <c>variable_serialization_spec</c>: int4 adds kernel_zero and g_idx only with groups.</summary>
    [Fact]
    public void VariablesFollowKerasSaveOrder()
    {
        Assert.Equal(["kernel", "bias", "kernel_scale", "kernel_zero", "g_idx"], new KerasQuantization("int4", 128, "").Variables("Dense", hasBias: true));
        Assert.Equal(["kernel", "kernel_scale"], new KerasQuantization("int4", -1, "").Variables("EinsumDense", hasBias: false));
        Assert.Equal(["embeddings", "embeddings_scale"], new KerasQuantization("int8", -1, "").Variables("Embedding", hasBias: false));
    }

    static JsonObject Config(string className, string mode) => new()
    {
        ["dtype"] = new JsonObject { ["class_name"] = className, ["config"] = new JsonObject { ["mode"] = mode, ["source_name"] = "float32" } },
    };
}
