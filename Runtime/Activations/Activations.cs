using F = TorchSharp.torch.nn.functional;

namespace KerasPort.Runtime.Activations;

/// <summary>
/// Keras activation functions, by the string name a model config gives them, as TorchSharp functions.
/// Each computes what <c>keras.activations.&lt;name&gt;(x)</c> computes with its default arguments,
/// following the Keras 3 torch backend (<c>keras/src/activations/activations.py</c>,
/// <c>keras/src/backend/torch/nn.py</c>) op for op.
/// </summary>
public static class Activations
{
    /// <summary>
    /// Returns the activation named <paramref name="name"/> as Keras <paramref name="generation"/> defines it.
    /// The function applies elementwise, or along the last axis for <c>softmax</c>, <c>log_softmax</c>,
    /// <c>sparsemax</c> and <c>glu</c> (which halves that axis). Temporaries it creates are left to the
    /// caller's dispose scope.
    /// </summary>
    /// <param name="name">The Keras activation string, e.g. <c>relu</c>; null or empty means <c>linear</c>.</param>
    /// <param name="generation">The Keras version that wrote the model.</param>
    /// <param name="layerName">The layer that uses the activation, named in the error for an unknown one.</param>
    /// <returns>A function from an input tensor of any rank to the activated tensor.</returns>
    /// <exception cref="UnsupportedLayerException">The name is not a Keras activation.</exception>
    public static Func<Tensor, Tensor> Resolve(string? name, KerasGeneration generation, string layerName) => name switch
    {
        null or "" or "linear" => x => x,
        "celu" => x => x.celu(Of(1.0)),
        "elu" => x => x.Elu(1.0),
        "exponential" => x => x.exp(),
        "gelu" => x => F.gelu(x),
        // keras_hub's gelu_approximate (keras_hub/src/utils/keras_utils.py): gelu(x, approximate=True), torch's tanh form.
        "gelu_approximate" => x => F.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh),
        "glu" => x => F.glu(x, -1),
        "hard_shrink" => x => F.hardshrink(x, 0.5),
        // Keras 1 and 2 (keras/backend.py hard_sigmoid): clip(0.2 * x + 0.5, 0, 1), saturating at +-2.5.
        // Keras 3 (backend/torch/nn.py): torch hardsigmoid, relu6(x + 3) / 6, saturating at +-3.
        "hard_sigmoid" when generation == KerasGeneration.Keras3 => x => F.hardsigmoid(x),
        "hard_sigmoid" => x => (x * Of(0.2)).Plus(0.5).clamp(Of(0), Of(1)),
        "hard_silu" or "hard_swish" => x => F.hardswish(x),
        // torch hardtanh(-1, 1) is clamp(-1, 1); TorchSharp 0.107's F.hardtanh returns its input unclipped.
        "hard_tanh" => x => x.clamp(Of(-1), Of(1)),
        // Keras 3 leaky_relu defaults to negative_slope=0.2, not torch's 0.01.
        "leaky_relu" => x => x.LeakyRelu(0.2),
        "log_sigmoid" => x => F.logsigmoid(x),
        "log_softmax" => x => F.log_softmax(x, -1),
        // activations.py Mish.static_call spells it out rather than calling torch's fused mish.
        "mish" => x => x * x.Softplus().tanh(),
        "relu" => x => F.relu(x),
        "relu6" => x => F.relu6(x),
        "selu" => x => F.selu(x),
        "sigmoid" => x => x.sigmoid(),
        "silu" or "swish" => x => F.silu(x),
        "soft_shrink" => x => F.softshrink(x, 0.5),
        "softmax" => x => F.softmax(x, -1),
        "softplus" => x => x.Softplus(),
        "softsign" => x => x.Softsign(),
        "sparse_plus" => SparsePlus,
        "sparse_sigmoid" => SparseSigmoid,
        "sparsemax" => Sparsemax,
        "squareplus" => x => x.Plus(x.Squared().Plus(4).sqrt()) / Of(2),
        "tanh" => x => x.tanh(),
        "tanh_shrink" => x => F.tanhshrink(x),
        _ => throw new UnsupportedLayerException("activation:" + name, layerName),
    };

    /// <summary>
    /// The in-place twin of activation <paramref name="name"/>: the same operator overwriting its argument (<c>relu_</c>
    /// for <c>relu</c>, ...), so the values are those of <see cref="Resolve"/>'s function; null for activations without one.
    /// The inference plan applies it to fresh tensors nothing else reads.
    /// </summary>
    internal static Func<Tensor, Tensor>? InPlace(string? name) => name switch
    {
        null or "" or "linear" => x => x,
        "relu" => x => x.relu_(),
        "relu6" => x => x.relu6_(),
        "sigmoid" => x => x.sigmoid_(),
        "silu" or "swish" => x => x.silu_(),
        "tanh" => x => x.tanh_(),
        _ => null,
    };

    /// <summary>
    /// The oneDNN post-op that computes activation <paramref name="name"/> inside a packed convolution's output pass
    /// (<see cref="Layers.Convolution.PackedConvolution"/>), or null. Only swish: oneDNN's <c>x * logistic(x)</c> keeps
    /// NaN and infinities as torch's <c>silu</c> does, and its exp is accurate to about an ulp. ReLU is left out on
    /// purpose: oneDNN's maps NaN to 0 where Keras keeps NaN.
    /// </summary>
    internal static string? ConvolutionPostOp(string? name) => name is "silu" or "swish" ? "swish" : null;

    /// <summary>0 for x &lt;= -1, (x + 1)^2 / 4 for -1 &lt; x &lt; 1, x for x &gt;= 1 (backend/torch/nn.py sparse_plus).</summary>
    static Tensor SparsePlus(Tensor x) =>
        where(x <= Of(-1), zeros_like(x), where(x < Of(1), x.Plus(1).Squared() * Of(0.25), x));

    /// <summary>0 for x &lt;= -1, (x + 1) / 2 for -1 &lt; x &lt; 1, 1 for x &gt;= 1 (backend/torch/nn.py sparse_sigmoid).</summary>
    static Tensor SparseSigmoid(Tensor x) =>
        where(x <= Of(-1), zeros_like(x), where(x >= Of(1), ones_like(x), x.Plus(1) * Of(0.5)));

    /// <summary>
    /// Sparsemax over the last axis, step for step as backend/torch/nn.py sparsemax: sort descending, find the
    /// support (the top k entries), output relu(x - tau). Keras (every backend) takes
    /// tau = (sum over the support of the running sums - 1) / k, not the paper's (sum of the top k - 1) / k,
    /// so rows with k &gt; 1 do not sum to 1; this reproduces Keras, not Martins and Astudillo (2016).
    /// </summary>
    static Tensor Sparsemax(Tensor x)
    {
        var (sorted, _) = x.sort(-1, descending: true);
        var cumsum = sorted.cumsum(-1);
        var rank = arange(Of(1), Of(x.Sizes()[^1] + 1), Of(1), dtype: x.dtype, device: x.device);
        var support = (sorted - cumsum.Minus(1) / rank) > Of(0);
        var k = support.sum(-1, keepdim: true);
        var tau = where(support, cumsum, zeros_like(cumsum)).sum(-1, keepdim: true).Minus(1) / k;
        return (x - tau).clamp_min(Of(0));
    }
}
