namespace KerasPort.KerasHub;

/// <summary>
/// The Keras layers keras_hub's MobileNet blocks create (keras_hub/src/models/mobilenet/mobilenet_backbone.py,
/// channels_last), as descriptions in call order, each with its share of the block's weights (saved under its
/// attribute). The runtime builds them through its registry, the ONNX writer lowers them; a null entry is a
/// squeeze-and-excite the block does not have.
/// </summary>
internal static class MobileNetSublayers
{
    /// <summary>DepthwiseConvBlock: pad, depthwise conv, BN, ReLU, optional squeeze-and-excite, 1x1 conv, BN.</summary>
    public static LayerDescription?[] DepthwiseConvBlock(LayerReader owner, DepthwiseConvBlockSpec spec) =>
    [
        ZeroPadding(owner, "pad", 1),
        Conv(owner, "conv1", spec.InFilters, spec.KernelSize, spec.Stride, groups: spec.InFilters),
        BatchNorm(owner, "batch_normalization1"),
        Activation(owner, "activation1", "relu"),
        spec.SqueezeExciteRatio is { } ratio ? SqueezeExcite(owner, "se_layer", spec.InFilters, ratio) : null,
        Conv(owner, "conv2", spec.Filters, 1),
        BatchNorm(owner, "batch_normalization2"),
    ];

    /// <summary>InvertedResidualBlock: expand, BN, act, pad, depthwise conv, BN, act, optional squeeze-and-excite, project, BN.</summary>
    public static LayerDescription?[] InvertedResidualBlock(LayerReader owner, InvertedResidualBlockSpec spec)
    {
        int expanded = spec.ExpandedChannels;
        return
        [
            Conv(owner, "conv1", expanded, 1),
            BatchNorm(owner, "batch_normalization1"),
            Activation(owner, "activation1", spec.Activation),
            ZeroPadding(owner, "pad", spec.Padding),
            Conv(owner, "conv2", expanded, spec.KernelSize, spec.Stride, groups: expanded),
            BatchNorm(owner, "batch_normalization2"),
            Activation(owner, "activation2", spec.Activation),
            spec.SqueezeExciteRatio is { } ratio ? SqueezeExcite(owner, "squeeze_excite", expanded, ratio) : null,
            Conv(owner, "conv3", spec.Filters, 1),
            BatchNorm(owner, "batch_normalization3"),
        ];
    }

    /// <summary>ConvBnActBlock: 1x1 conv, BN, activation.</summary>
    public static LayerDescription?[] ConvBnActBlock(LayerReader owner, ConvBnActBlockSpec spec) =>
        [Conv(owner, "conv", spec.Filter, 1), BatchNorm(owner, "batch_normalization"), Activation(owner, "activation_layer", spec.Activation)];

    /// <summary>SqueezeAndExcite2D's gate, applied to the spatial mean: conv_reduce, squeeze activation, conv_expand, excite activation.</summary>
    public static LayerDescription?[] SqueezeAndExcite2DGate(LayerReader owner, SqueezeAndExcite2DSpec spec) =>
    [
        Conv(owner, "conv_reduce", spec.BottleneckFilters, 1, useBias: true),
        Activation(owner, "activation1", spec.SqueezeActivation),
        Conv(owner, "conv_expand", spec.Filters, 1, useBias: true),
        Activation(owner, "gate", spec.ExciteActivation),
    ];

    static LayerDescription Conv(LayerReader owner, string attribute, int filters, int kernelSize, int stride = 1, int groups = 1, bool useBias = false) =>
        HubSublayerDescriptions.Of(owner, attribute, "Conv2D", new JsonObject
        {
            ["name"] = attribute, ["filters"] = filters, ["kernel_size"] = new JsonArray(kernelSize, kernelSize),
            ["strides"] = new JsonArray(stride, stride), ["padding"] = "valid", ["data_format"] = "channels_last", ["groups"] = groups,
            ["use_bias"] = useBias,
        });

    static LayerDescription BatchNorm(LayerReader owner, string attribute) =>
        HubSublayerDescriptions.Of(owner, attribute, "BatchNormalization", new JsonObject
        {
            ["name"] = attribute, ["axis"] = -1, ["epsilon"] = MobileNetChannels.BatchNormEpsilon, ["momentum"] = 0.9,
        });

    static LayerDescription Activation(LayerReader owner, string attribute, string activation) =>
        HubSublayerDescriptions.Of(owner, attribute, "Activation", new JsonObject { ["name"] = attribute, ["activation"] = activation });

    static LayerDescription ZeroPadding(LayerReader owner, string attribute, int padding) =>
        HubSublayerDescriptions.Of(owner, attribute, "ZeroPadding2D", new JsonObject
        {
            ["name"] = attribute, ["padding"] = new JsonArray(new JsonArray(padding, padding), new JsonArray(padding, padding)),
            ["data_format"] = "channels_last",
        });

    // The blocks build it with a relu squeeze and keras.activations.hard_sigmoid as the gate.
    static LayerDescription SqueezeExcite(LayerReader owner, string attribute, int filters, double ratio) =>
        HubSublayerDescriptions.Of(owner, attribute, "keras_hub>SqueezeAndExcite2D", new JsonObject
        {
            ["name"] = attribute, ["filters"] = filters, ["bottleneck_filters"] = MobileNetChannels.Adjust(filters * ratio),
            ["squeeze_activation"] = "relu", ["excite_activation"] = "hard_sigmoid",
        });
}
