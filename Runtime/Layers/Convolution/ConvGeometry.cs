namespace KerasPort.Runtime.Layers.Convolution;

/// <summary>
/// The geometry of a Keras convolution (kernel size, strides, dilation, padding, data format) and the padded
/// torch convolution it implies, shared by the convolution layers.
/// </summary>
internal sealed class ConvGeometry
{
    /// <summary>The geometry of a convolution layer's window, as its spec read it.</summary>
    public ConvGeometry(ConvWindow window)
    {
        (Rank, Kernel, Strides, Dilation, Padding, ChannelsFirst) = (window.Rank, window.Size, window.Strides, window.Dilation, window.Padding, window.ChannelsFirst);
        pointwiseStrided = Kernel.All(k => k == 1) && Dilation.All(d => d == 1) && Strides.Any(s => s > 1);
        pointwise = Kernel.All(k => k == 1) && Strides.All(s => s == 1);
    }

    /// <summary>A 1x1 kernel with stride 1: every padding mode pads nothing, and each position is a matrix-vector product.</summary>
    readonly bool pointwise;

    /// <summary>
    /// Up to how many positions (batch times spatial) a pointwise convolution runs as one matrix product instead of a
    /// oneDNN convolution, whose fixed cost per call (about 50 µs, kerasport bench --profile) dwarfs the work on the
    /// 1x1 maps of squeeze-and-excitation blocks (EfficientNet's 32 such convolutions: 1.9 ms of a 20 ms pass at batch 1).
    /// Not more: on MobileNetV2's 7x7 maps (49 positions at batch 1) oneDNN's AVX-512 kernel beat the matrix product
    /// (MKL's AVX2 path on this AMD machine), 11.3 against 12.1 ms a pass.
    /// </summary>
    const long FewPositions = 32;

    /// <summary>A 1x1 (pointwise) kernel with a stride above 1 on some axis.</summary>
    readonly bool pointwiseStrided;

    /// <summary>Number of spatial axes.</summary>
    public int Rank { get; }

    /// <summary>Kernel size per spatial axis.</summary>
    public long[] Kernel { get; }

    /// <summary>Stride per spatial axis.</summary>
    public long[] Strides { get; }

    /// <summary>Dilation rate per spatial axis.</summary>
    public long[] Dilation { get; }

    /// <summary>The padding mode.</summary>
    public PaddingMode Padding { get; }

    /// <summary>True when the layer's tensors are channels_first.</summary>
    public bool ChannelsFirst { get; }

    /// <summary>
    /// Convolves torch-layout <paramref name="x"/> (<c>N, C, spatial...</c>) with torch weight
    /// <paramref name="weight"/>, padded as the layer's padding mode says, after <paramref name="zeroPadded"/> (a folded
    /// ZeroPadding layer's pads) when given. With <paramref name="packed"/>, the output is added into
    /// <paramref name="accumulate"/> or goes through oneDNN post-op <paramref name="postOp"/> when given. Asymmetric pads
    /// run as a symmetric padding and a window of the output where that costs little (<see cref="ConvPadding.Covering"/>);
    /// the result is then a view.
    /// </summary>
    public Tensor Convolve(Tensor x, Tensor weight, Tensor? bias, long groups, PackedConvolution? packed = null, Tensor? accumulate = null,
        string? postOp = null, (long Before, long After)[]? zeroPadded = null)
    {
        var sizes = x.Sizes();
        var pads = ConvPadding.Pads(Padding, sizes[2..], Kernel, Strides, Dilation, zeroPadded);
        if (pointwiseStrided && pads.All(p => p.Before == 0 && p.After == 0))
        {
            // A strided 1x1 convolution reads every s-th position only: take those as a view and convolve without
            // stride. The same products and sums; libtorch's strided 1x1 kernel took up to 4x longer (ResNet50's
            // 1024->2048 shortcut at batch 1: 8.0 ms against 3.6 ms, kerasport bench).
            for (int i = 0; i < Rank; i++)
                if (Strides[i] > 1) x = x.slice(i + 2, 0, sizes[i + 2], Strides[i]);
            return packed?.Run(x, new long[Rank], accumulate, postOp) ?? TorchOps.Conv(x, weight, bias, Ones(Rank), new long[Rank], Dilation, groups);
        }
        // F.pad copies the whole input, and one-sided pads are common: TF-style 'same' with stride 2 on an even map,
        // EfficientNet's and MobileNetV2's ZeroPadding before their stride-2 depthwise convolutions.
        if (accumulate is null && ConvPadding.Covering(pads, sizes[2..], Kernel, Strides, Dilation, sizes[1], weight.size(0)) is var (covering, keep))
        {
            var y = packed?.Run(x, covering, null, postOp) ?? TorchOps.Conv(x, weight, bias, Strides, covering, Dilation, groups);
            return ConvPadding.Window(y, keep);
        }
        var (input, torchPadding) = ConvPadding.ForTorch(x, pads);
        return packed?.Run(input, torchPadding, accumulate, postOp) ?? TorchOps.Conv(input, weight, bias, Strides, torchPadding, Dilation, groups);
    }

    /// <summary>Convolves a Keras-layout tensor: a torch-layout view in, <see cref="Convolve"/>, a Keras-layout view out.</summary>
    public Tensor ConvolveKeras(Tensor input, Tensor weight, Tensor? bias, long groups, PackedConvolution? packed = null,
        string? postOp = null, (long Before, long After)[]? zeroPadded = null) =>
        ChannelLayout.FromTorch(Convolve(ChannelLayout.ToTorch(input, ChannelsFirst), weight, bias, groups, packed, postOp: postOp,
            zeroPadded: zeroPadded), ChannelsFirst);

    /// <summary>
    /// The inference form of a convolution layer with torch kernel <paramref name="kernel"/>, <paramref name="bias"/>
    /// and <paramref name="activation"/> (<see cref="IFoldableLinear.Inference"/>): with <paramref name="scale"/> and
    /// <paramref name="shift"/>, a following per-channel affine folded into kernel and bias (only for a linear,
    /// channels_last layer); with <paramref name="zeroPadded"/>, the pads of a ZeroPadding layer before it (channels_last,
    /// not a strided 1x1 kernel); 2-D float convolutions run with their kernel packed for oneDNN
    /// (<see cref="PackedConvolution"/>). Null where neither applies.
    /// </summary>
    public LinearInference? Inference(Tensor kernel, Tensor? bias, long groups, bool linear, Func<Tensor, Tensor> activation,
        Tensor? scale, Tensor? shift, ICollection<IDisposable> owned, (long Before, long After)[]? zeroPadded = null)
    {
        if (ChannelsFirst) return null;
        // A strided 1x1 kernel is packed for stride 1 and runs on a subsampled view, which padding would shift.
        if (zeroPadded is not null && (zeroPadded.Length != Rank || pointwiseStrided)) return null;
        bool fold = scale is not null && shift is not null;
        if (fold && !linear) return null;
        var (k, b) = fold ? ChannelLayout.FoldAffine(kernel, bias, scale!, shift!, owned) : (kernel, bias);
        var packed = PackedConvolution.Create(k, b, pointwiseStrided ? Ones(Rank) : Strides, Dilation, groups);
        if (packed is null && !fold && zeroPadded is null) return null;
        if (packed is not null) owned.Add(packed);
        // Channels_last rows times the kernel as linear's (out, in) weight: a view of the torch kernel, kept with the plan.
        var rowsWeight = pointwise && groups == 1 && zeroPadded is null ? AffineFolding.Keep(k.flatten(1), owned) : null;
        Tensor Apply(Tensor x) => rowsWeight is not null && x.numel() <= FewPositions * x.size(-1)
            ? nn.functional.linear(x, rowsWeight, b)
            : ConvolveKeras(x, k, b, groups, packed, zeroPadded: zeroPadded);
        // A following Add goes into the packed convolution's output pass (oneDNN's sum post-op: the same additions), and
        // a following activation with a oneDNN post-op (swish) likewise: one pass over the output instead of two. Only
        // where the layer's own activation is linear, since Keras adds and activates after it.
        bool postOps = packed is not null && linear;
        return new LinearInference(x => activation(Apply(x)),
            postOps ? (x, other) => Adding(x, other, k, b, groups, packed!, zeroPadded) : null,
            postOps ? (x, postOp) => ConvolveKeras(x, k, b, groups, packed, postOp, zeroPadded) : null);
    }

    /// <summary>
    /// <c>conv(x) + other</c> for Keras-layout tensors: written into <paramref name="other"/> by the packed convolution
    /// when it is dense and has the output's shape, else a new sum.
    /// </summary>
    Tensor Adding(Tensor x, Tensor other, Tensor kernel, Tensor? bias, long groups, PackedConvolution packed, (long Before, long After)[]? zeroPadded)
    {
        // oneDNN writes the sum through the tensor's dense layout; a window of a larger output (Convolve) is not one.
        var target = other.is_contiguous() ? ChannelLayout.ToTorch(other, ChannelsFirst) : null;
        var y = Convolve(ChannelLayout.ToTorch(x, ChannelsFirst), kernel, bias, groups, packed, target, zeroPadded: zeroPadded);
        return ReferenceEquals(y, target) ? other : ChannelLayout.FromTorch(y, ChannelsFirst).Plus(other);
    }

    /// <summary>A Keras kernel read from weight <paramref name="index"/>, converted to torch's layout.</summary>
    public static Tensor TorchKernel(LayerContext context, int index, string role, params long[] kerasShape)
    {
        using var raw = context.Weight(index, role, kerasShape);
        return ChannelLayout.TorchKernel(raw);
    }

    /// <summary>
    /// A Keras depthwise kernel <c>(k..., in, depth_multiplier)</c> from weight <paramref name="index"/> as the torch
    /// weight of a grouped convolution with one group per input channel, <c>(in * depth_multiplier, 1, k...)</c>;
    /// output channel <c>c * depth_multiplier + m</c> is input channel <c>c</c> under multiplier <c>m</c>, the order
    /// of keras/src/backend/torch/nn.py <c>depthwise_conv</c>. <paramref name="groups"/> gets the input channel count.
    /// </summary>
    public Tensor DepthwiseKernel(LayerContext context, int index, string role, long multiplier, out long groups)
    {
        using var raw = context.Weight(index, role, [.. Kernel, InputChannels(context), multiplier]);
        groups = raw.Sizes()[Rank];
        using var flat = raw.reshape([.. Kernel, 1, groups * multiplier]);
        return ChannelLayout.TorchKernel(flat);
    }

    /// <summary>The input's channel count when the input shape is known (graph built along a dummy pass), else -1.</summary>
    public long InputChannels(LayerContext context) => context.InputDim(ChannelsFirst ? 1 : -1);

    /// <summary>Per-axis ones, the default of strides and dilation.</summary>
    public static long[] Ones(int rank) => ConvWindow.Ones(rank);
}
