namespace KerasPort.Runtime.Layers.KerasHub.Llama;

/// <summary>
/// The RMS norm that KerasHub's <c>LlamaLayerNorm</c>, <c>MistralLayerNormalization</c> and <c>QwenLayerNorm</c>
/// each define with the same code (<see cref="RmsLayerNormSpec"/>): in float32,
/// <c>x * rsqrt(mean(x^2, -1) + epsilon) * scale</c>, cast back to the input's dtype.
/// </summary>
public abstract class RmsLayerNorm : KerasLayer
{
    readonly double epsilon;
    readonly Tensor scale;

    /// <summary>Builds the norm from its one weight, <c>scale</c>.</summary>
    protected RmsLayerNorm(LayerContext context, RmsLayerNormSpec spec) : base(context)
    {
        epsilon = spec.Epsilon;
        context.ExpectWeightCount(1);
        scale = Own(context.Weight(0, "scale", context.InputDim(-1)));
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [Normalize(arguments.Input)];

    /// <summary>The normalized <paramref name="input"/>.</summary>
    public Tensor Normalize(Tensor input)
    {
        var x = input.to_type(ScalarType.Float32);
        var inverseRms = x.Squared().mean([-1], keepdim: true).Plus(epsilon).rsqrt();
        return (x * inverseRms * scale).to_type(input.dtype);
    }

    /// <summary>The layer keeps Keras's default <c>supports_masking=False</c>: a mask stops here.</summary>
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => null;
}

/// <summary>KerasHub <c>LlamaLayerNorm</c> (keras_hub/src/models/llama/llama_layernorm.py): see <see cref="RmsLayerNorm"/>.</summary>
public sealed class LlamaLayerNorm(LayerContext context, RmsLayerNormSpec spec) : RmsLayerNorm(context, spec);
