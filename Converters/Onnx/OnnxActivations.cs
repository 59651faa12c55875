namespace KerasPort.Converters.Onnx;

/// <summary>
/// Keras activation functions (by the names a config gives them) as ONNX nodes, computing what the runtime's
/// Runtime/Activations/Activations.cs computes: Keras 3's torch backend op for op, and Keras 1/2's
/// <c>hard_sigmoid</c> where the model comes from those generations.
/// </summary>
internal static class OnnxActivations
{
    /// <summary>The ONNX recurrent-operator activation (LSTM/GRU/RNN <c>activations</c> attribute) computing Keras's
    /// <paramref name="name"/>, with its alpha and beta; null when ONNX's recurrent operators have none that is exact.</summary>
    public static (string Name, float? Alpha, float? Beta)? Recurrent(string name, int kerasMajor) => name switch
    {
        "sigmoid" => ("Sigmoid", null, null),
        "tanh" => ("Tanh", null, null),
        "relu" => ("Relu", null, null),
        "softsign" => ("Softsign", null, null),
        "softplus" => ("Softplus", null, null),
        "elu" => ("Elu", 1f, null),
        "linear" => ("Affine", 1f, 0f),
        "hard_sigmoid" => HardSigmoid(kerasMajor) is var (alpha, beta) ? ("HardSigmoid", (float)alpha, (float)beta) : null,
        _ => null,
    };

    /// <summary>
    /// <c>hard_sigmoid</c> as <c>max(0, min(1, alpha * x + beta))</c>. Keras 1 and 2 (keras/backend.py hard_sigmoid):
    /// <c>clip(0.2 * x + 0.5, 0, 1)</c>. Keras 3 (keras/src/backend/torch/nn.py): torch's hardsigmoid,
    /// <c>relu6(x + 3) / 6</c> = <c>clip(x / 6 + 0.5, 0, 1)</c>.
    /// </summary>
    static (double Alpha, double Beta) HardSigmoid(int kerasMajor) => kerasMajor >= 3 ? (1.0 / 6, 0.5) : (0.2, 0.5);

    /// <summary>Applies activation <paramref name="name"/> of the layer in <paramref name="call"/> to <paramref name="x"/>.</summary>
    public static OnnxValue Apply(OnnxLayerCall call, string name, OnnxValue x)
    {
        var g = call.Graph;
        switch (name)
        {
            case "" or "linear": return x;
            case "celu": return g.Unary("Celu", x, Attr.Float("alpha", 1));
            case "elu": return g.Unary("Elu", x, Attr.Float("alpha", 1));
            case "exponential": return g.Unary("Exp", x);
            // Keras 3 gelu(approximate=False): x * (1 + erf(x / sqrt(2))) / 2, what torch's gelu computes.
            case "gelu": return g.Mul(g.Scale(x, 0.5), g.Add(g.Unary("Erf", g.Scale(x, 1 / Math.Sqrt(2))), g.Scalar(1)));
            // keras_hub's gelu_approximate (keras_hub/src/utils/keras_utils.py), torch's tanh form:
            // x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 x^3))) / 2.
            case "gelu_approximate":
                {
                    var inner = g.Scale(g.Add(x, g.Scale(g.Mul(x, g.Mul(x, x)), 0.044715)), Math.Sqrt(2 / Math.PI));
                    return g.Mul(g.Scale(x, 0.5), g.Add(g.Unary("Tanh", inner), g.Scalar(1)));
                }
            case "glu":
                {
                    var halves = g.SplitEqual(x, -1, 2);
                    return g.Mul(halves[0], g.Unary("Sigmoid", halves[1]));
                }
            case "hard_shrink": return g.Unary("Shrink", x, Attr.Float("lambd", 0.5), Attr.Float("bias", 0));
            case "hard_sigmoid":
                {
                    var (alpha, beta) = HardSigmoid(call.KerasMajor);
                    return g.Unary("HardSigmoid", x, Attr.Float("alpha", alpha), Attr.Float("beta", beta));
                }
            case "hard_silu" or "hard_swish": return g.Unary("HardSwish", x);
            case "hard_tanh": return g.Clip(x, -1, 1);
            // Keras 3's leaky_relu activation defaults to negative_slope=0.2.
            case "leaky_relu": return g.Unary("LeakyRelu", x, Attr.Float("alpha", 0.2));
            case "log_sigmoid": return g.Unary("Neg", g.Unary("Softplus", g.Unary("Neg", x)));
            case "log_softmax": return g.Unary("LogSoftmax", x, Attr.Int("axis", x.Rank - 1));
            case "mish": return g.Mul(x, g.Unary("Tanh", g.Unary("Softplus", x)));
            case "relu": return g.Unary("Relu", x);
            case "relu6": return g.Clip(x, 0, 6);
            case "selu": return g.Unary("Selu", x);
            case "sigmoid": return g.Unary("Sigmoid", x);
            case "silu" or "swish": return g.Mul(x, g.Unary("Sigmoid", x));
            case "soft_shrink": return g.Unary("Shrink", x, Attr.Float("lambd", 0.5), Attr.Float("bias", 0.5));
            case "softmax": return g.Softmax(x, -1);
            case "softplus": return g.Unary("Softplus", x);
            case "softsign": return g.Unary("Softsign", x);
            case "sparse_plus":
                {
                    // 0 for x <= -1, (x + 1)^2 / 4 for -1 < x < 1, x for x >= 1 (backend/torch/nn.py sparse_plus).
                    var shifted = g.Add(x, g.Scalar(1));
                    var middle = g.Scale(g.Mul(shifted, shifted), 0.25);
                    var upper = g.Where(g.Compare("Less", x, g.Scalar(1)), middle, x);
                    return g.Where(g.Compare("LessOrEqual", x, g.Scalar(-1)), g.Scalar(0), upper);
                }
            case "sparse_sigmoid":
                {
                    var middle = g.Scale(g.Add(x, g.Scalar(1)), 0.5);
                    var upper = g.Where(g.Compare("GreaterOrEqual", x, g.Scalar(1)), g.Scalar(1), middle);
                    return g.Where(g.Compare("LessOrEqual", x, g.Scalar(-1)), g.Scalar(0), upper);
                }
            case "sparsemax": return Sparsemax(g, x);
            case "squareplus": return g.Scale(g.Add(x, g.Unary("Sqrt", g.Add(g.Mul(x, x), g.Scalar(4)))), 0.5);
            case "tanh": return g.Unary("Tanh", x);
            case "tanh_shrink": return g.Sub(x, g.Unary("Tanh", x));
            default: throw new UnsupportedLayerException("activation:" + name, call.Name);
        }
    }

    /// <summary>
    /// Sparsemax over the last axis as the runtime computes it (backend/torch/nn.py sparsemax): sort descending,
    /// support where <c>sorted - (cumsum - 1) / rank &gt; 0</c>, <c>tau = (sum of cumsum over the support - 1) / k</c>.
    /// </summary>
    static OnnxValue Sparsemax(OnnxGraph g, OnnxValue x)
    {
        long n = x.Dim(-1);
        if (n < 0) throw new KerasPortException("ONNX export: sparsemax needs a known last axis");
        var sorted = g.Node("TopK", [x, g.Longs(n)], [(x.Type, x.Shape), (OnnxType.Int64, x.Shape)], Attr.Int("axis", x.Rank - 1), Attr.Int("largest", 1), Attr.Int("sorted", 1))[0];
        var cumsum = g.Node("CumSum", [sorted, g.Node("Constant", [], OnnxType.Int64, [], Attr.Int("value_int", x.Rank - 1))], x.Type, x.Shape);
        var rank = g.Floats(Enumerable.Range(1, (int)n).Select(i => (float)i).ToArray(), n);
        var support = g.Compare("Greater", g.Sub(sorted, g.Div(g.Sub(cumsum, g.Scalar(1)), rank)), g.Scalar(0));
        var k = g.Reduce("ReduceSum", g.Cast(support, OnnxType.Float), [-1], keepDims: true);
        var supported = g.Where(support, cumsum, g.Scalar(0));
        var tau = g.Div(g.Sub(g.Reduce("ReduceSum", supported, [-1], keepDims: true), g.Scalar(1)), k);
        return g.Unary("Relu", g.Sub(x, tau));
    }
}
