namespace KerasPort.Converters.CSharp;

/// <summary>
/// The members a generated module may need beyond torch.nn, as C# source nested in the generated class. Each carries
/// the Keras rule it implements; only those a model uses are emitted.
/// </summary>
internal static class CSharpHelpers
{
    /// <summary>Moves the channels from the last axis to axis 1 (Keras channels_last → torch layout).</summary>
    public const string ChannelsFirst = nameof(ChannelsFirst);

    /// <summary>Moves the channels from axis 1 to the last axis (torch layout → Keras channels_last).</summary>
    public const string ChannelsLast = nameof(ChannelsLast);

    /// <summary>TensorFlow 'same' padding of a torch-layout tensor.</summary>
    public const string SamePad = nameof(SamePad);

    /// <summary>Max pooling of any spatial rank.</summary>
    public const string MaxPool = nameof(MaxPool);

    /// <summary>Average pooling of any spatial rank.</summary>
    public const string AvgPool = nameof(AvgPool);

    /// <summary>'same' average pooling that leaves padded cells out of the average.</summary>
    public const string AvgPoolSame = nameof(AvgPoolSame);

    /// <summary>Keras BatchNormalization at inference, as a module.</summary>
    public const string KerasBatchNorm = nameof(KerasBatchNorm);

    /// <summary>Keras LSTM/GRU/SimpleRNN as an explicit step loop, for activations or a GRU variant torch.nn has not.</summary>
    public const string KerasRecurrent = nameof(KerasRecurrent);

    /// <summary>Keras Normalization (preprocessing) with its mean and variance, as a module.</summary>
    public const string KerasNormalization = nameof(KerasNormalization);

    /// <summary>The helpers a helper calls itself.</summary>
    public static IEnumerable<string> Dependencies(string helper) => helper switch
    {
        AvgPoolSame => [AvgPool, SamePad],
        _ => [],
    };

    /// <summary>The C# source of <paramref name="helper"/>, indented as a member of the generated class.</summary>
    public static string Source(string helper) => helper switch
    {
        ChannelsFirst => """
                /// <summary>Keras channels_last (N, spatial..., C) to torch's (N, C, spatial...), as a view.</summary>
                private static Tensor ChannelsFirst(Tensor x)
                {
                    var axes = new long[x.dim()];
                    axes[1] = x.dim() - 1;
                    for (int i = 2; i < axes.Length; i++) axes[i] = i - 1;
                    return x.permute(axes);
                }

            """,
        ChannelsLast => """
                /// <summary>Torch's (N, C, spatial...) back to Keras channels_last (N, spatial..., C), as a view.</summary>
                private static Tensor ChannelsLast(Tensor x)
                {
                    var axes = new long[x.dim()];
                    for (int i = 1; i < axes.Length - 1; i++) axes[i] = i + 1;
                    axes[^1] = 1;
                    return x.permute(axes);
                }

            """,
        SamePad => """
                /// <summary>
                /// TensorFlow's 'same' padding of the spatial axes of torch-layout <paramref name="x"/> (keras/src/backend/torch/nn.py
                /// _compute_padding_length): total = max((ceil(in / s) - 1) * s + (k - 1) * d + 1 - in, 0), half of it before and the
                /// odd cell after, filled with <paramref name="value"/>.
                /// </summary>
                private static Tensor SamePad(Tensor x, long[] kernel, long[] strides, long[] dilation, double value = 0)
                {
                    var pad = new long[2 * kernel.Length];
                    for (int i = 0; i < kernel.Length; i++)
                    {
                        long size = x.shape[x.dim() - kernel.Length + i];
                        long total = Math.Max(((size + strides[i] - 1) / strides[i] - 1) * strides[i] + (kernel[i] - 1) * dilation[i] + 1 - size, 0);
                        // F.pad lists the last axis first.
                        pad[2 * (kernel.Length - 1 - i)] = total / 2;
                        pad[2 * (kernel.Length - 1 - i) + 1] = total - total / 2;
                    }
                    return F.pad(x, pad, value: value);
                }

            """,
        MaxPool => """
                /// <summary>Max pooling of torch-layout <paramref name="x"/> over its 1, 2 or 3 spatial axes.</summary>
                private static Tensor MaxPool(Tensor x, long[] size, long[] strides) => size.Length switch
                {
                    1 => F.max_pool1d(x, size[0], strides[0]),
                    2 => F.max_pool2d(x, size, strides),
                    _ => F.max_pool3d(x, size, strides),
                };

            """,
        AvgPool => """
                /// <summary>Average pooling of torch-layout <paramref name="x"/> over its 1, 2 or 3 spatial axes.</summary>
                private static Tensor AvgPool(Tensor x, long[] size, long[] strides) => size.Length switch
                {
                    1 => F.avg_pool1d(x, size[0], strides[0]),
                    2 => F.avg_pool2d(x, size, strides),
                    _ => F.avg_pool3d(x, size, strides),
                };

            """,
        AvgPoolSame => """
                /// <summary>
                /// 'same' average pooling that leaves the padded cells out of each window's average (TensorFlow's rule, which
                /// keras/src/backend/torch/nn.py average_pool matches): the zero-padded window mean over the window mean of padded ones.
                /// </summary>
                private static Tensor AvgPoolSame(Tensor x, long[] size, long[] strides)
                {
                    var ones = torch.ones_like(x.narrow(0, 0, 1).narrow(1, 0, 1));
                    var ones1 = new long[size.Length];
                    Array.Fill(ones1, 1L);
                    return AvgPool(SamePad(x, size, strides, ones1), size, strides) / AvgPool(SamePad(ones, size, strides, ones1), size, strides);
                }

            """,
        KerasBatchNorm => """
                /// <summary>
                /// Keras BatchNormalization with its moving statistics (inference): (x - moving_mean) / sqrt(moving_variance + epsilon)
                /// * gamma + beta along <c>axis</c> (keras/src/layers/normalization/batch_normalization.py; epsilon defaults to 1e-3).
                /// </summary>
                private sealed class KerasBatchNorm : Module<Tensor, Tensor>
                {
                    private readonly long axis;
                    private readonly double epsilon;
                    private readonly Parameter? gamma;
                    private readonly Parameter? beta;
                    private readonly Tensor moving_mean;
                    private readonly Tensor moving_variance;

                    /// <summary>Creates the layer for <paramref name="features"/> channels on <paramref name="axis"/>.</summary>
                    public KerasBatchNorm(long features, long axis, double epsilon, bool center, bool scale) : base(nameof(KerasBatchNorm))
                    {
                        this.axis = axis;
                        this.epsilon = epsilon;
                        if (scale) register_parameter("gamma", gamma = new Parameter(torch.ones(features)));
                        if (center) register_parameter("beta", beta = new Parameter(torch.zeros(features)));
                        register_buffer("moving_mean", moving_mean = torch.zeros(features));
                        register_buffer("moving_variance", moving_variance = torch.ones(features));
                    }

                    /// <inheritdoc />
                    public override Tensor forward(Tensor x)
                    {
                        var shape = new long[x.dim()];
                        Array.Fill(shape, 1L);
                        shape[axis < 0 ? axis + x.dim() : axis] = -1;
                        var y = (x - moving_mean.reshape(shape)) * (moving_variance.reshape(shape) + epsilon).rsqrt();
                        if (gamma is not null) y = y * gamma.reshape(shape);
                        if (beta is not null) y = y + beta.reshape(shape);
                        return y;
                    }
                }

            """,
        KerasNormalization => """
                /// <summary>
                /// Keras Normalization: (x - mean) / max(sqrt(variance), 1e-7), or x * max(sqrt(variance), 1e-7) + mean when inverted
                /// (keras/src/layers/preprocessing/normalization.py with backend.epsilon()), broadcast along <c>axis</c> (null: one value for all).
                /// </summary>
                private sealed class KerasNormalization : Module<Tensor, Tensor>
                {
                    private readonly long? axis;
                    private readonly bool invert;
                    private readonly Tensor mean;
                    private readonly Tensor variance;

                    /// <summary>Creates the layer for <paramref name="size"/> values along <paramref name="axis"/>.</summary>
                    public KerasNormalization(long size, long? axis, bool invert) : base(nameof(KerasNormalization))
                    {
                        this.axis = axis;
                        this.invert = invert;
                        register_buffer("mean", mean = torch.zeros(size));
                        register_buffer("variance", variance = torch.ones(size));
                    }

                    /// <inheritdoc />
                    public override Tensor forward(Tensor x)
                    {
                        var shape = new long[x.dim()];
                        Array.Fill(shape, 1L);
                        if (axis is { } a) shape[a < 0 ? a + x.dim() : a] = -1;
                        var m = axis is null ? mean : mean.reshape(shape);
                        var scale = (axis is null ? variance : variance.reshape(shape)).sqrt().clamp_min(1e-7);
                        return invert ? m + x * scale : (x - m) / scale;
                    }
                }

            """,
        KerasRecurrent => """
                /// <summary>
                /// A Keras recurrent layer as a step loop over its Keras-layout weights (kernel (in, gates * units), recurrent_kernel
                /// (units, gates * units), bias), for what torch.nn.LSTM/GRU/RNN cannot compute: other activations (Keras 2's
                /// hard_sigmoid gates) or a GRU with reset_after=False. Gates as keras/src/layers/rnn/lstm.py (i, f, c, o),
                /// gru.py (z, r, h; h = z * h_prev + (1 - z) * candidate) and simple_rnn.py. Returns the output sequence, then the
                /// final states (h, and c for an LSTM).
                /// </summary>
                private sealed class KerasRecurrent : Module<Tensor, Tensor[]>
                {
                    private readonly string kind;
                    private readonly bool resetAfter;
                    private readonly Func<Tensor, Tensor> activation;
                    private readonly Func<Tensor, Tensor> recurrentActivation;
                    private readonly Parameter kernel;
                    private readonly Parameter recurrent_kernel;
                    private readonly Parameter? bias;

                    /// <summary>Creates a <paramref name="kind"/> (LSTM, GRU or SimpleRNN) layer of <paramref name="units"/> units.</summary>
                    public KerasRecurrent(string kind, long inputs, long units, Func<Tensor, Tensor> activation, Func<Tensor, Tensor> recurrentActivation, bool useBias, bool resetAfter)
                        : base(nameof(KerasRecurrent))
                    {
                        this.kind = kind;
                        this.resetAfter = resetAfter;
                        this.activation = activation;
                        this.recurrentActivation = recurrentActivation;
                        long gates = kind switch { "LSTM" => 4, "GRU" => 3, _ => 1 };
                        register_parameter("kernel", kernel = new Parameter(torch.zeros(inputs, gates * units)));
                        register_parameter("recurrent_kernel", recurrent_kernel = new Parameter(torch.zeros(units, gates * units)));
                        if (useBias) register_parameter("bias", bias = new Parameter(resetAfter ? torch.zeros(2, gates * units) : torch.zeros(gates * units)));
                    }

                    /// <inheritdoc />
                    public override Tensor[] forward(Tensor x)
                    {
                        long units = recurrent_kernel.shape[0];
                        var h = torch.zeros(x.shape[0], units, dtype: x.dtype, device: x.device);
                        var c = torch.zeros_like(h);
                        var inputBias = bias is null ? null : resetAfter ? bias[0] : bias;
                        var projected = x.matmul(kernel);
                        if (inputBias is not null) projected = projected + inputBias;
                        var steps = new Tensor[x.shape[1]];
                        for (long t = 0; t < steps.Length; t++)
                        {
                            var xt = projected.select(1, t);
                            switch (kind)
                            {
                                case "LSTM":
                                    var z = (xt + h.matmul(recurrent_kernel)).chunk(4, -1);
                                    c = recurrentActivation(z[1]) * c + recurrentActivation(z[0]) * activation(z[2]);
                                    h = recurrentActivation(z[3]) * activation(c);
                                    break;
                                case "GRU":
                                    var xg = xt.chunk(3, -1);
                                    Tensor update, reset, candidate;
                                    if (resetAfter)
                                    {
                                        var recurrent = h.matmul(recurrent_kernel);
                                        if (bias is not null) recurrent = recurrent + bias[1];
                                        var rg = recurrent.chunk(3, -1);
                                        update = recurrentActivation(xg[0] + rg[0]);
                                        reset = recurrentActivation(xg[1] + rg[1]);
                                        candidate = activation(xg[2] + reset * rg[2]);
                                    }
                                    else
                                    {
                                        var rk = recurrent_kernel.chunk(3, -1);
                                        update = recurrentActivation(xg[0] + h.matmul(rk[0]));
                                        reset = recurrentActivation(xg[1] + h.matmul(rk[1]));
                                        candidate = activation(xg[2] + (reset * h).matmul(rk[2]));
                                    }
                                    h = update * h + (1 - update) * candidate;
                                    break;
                                default:
                                    h = activation(xt + h.matmul(recurrent_kernel));
                                    break;
                            }
                            steps[t] = h;
                        }
                        var sequence = torch.stack(steps, 1);
                        return kind == "LSTM" ? [sequence, h, c] : [sequence, h];
                    }
                }

            """,
        _ => throw new ArgumentException($"unknown helper '{helper}'", nameof(helper)),
    };
}
