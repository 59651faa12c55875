namespace KerasPort.KerasHub.Architectures;

/// <summary>
/// keras_hub <c>MobileNetBackbone</c> (keras_hub/src/models/mobilenet/mobilenet_backbone.py <c>__init__</c>, channels_last):
/// ZeroPadding2D(1), a 3x3 stride-2 Conv2D stem with BatchNormalization and <c>input_activation</c>, a
/// <c>DepthwiseConvBlock</c> (<c>block_0_0</c>), the stacks of <c>InvertedResidualBlock</c>s (<c>block_{s+1}_{i}</c>), and
/// a hard-swish <c>ConvBnActBlock</c> head of <c>adjust_channels(last_layer_filter)</c> channels. As in the constructor,
/// <c>output_num_filters</c> and <c>output_activation</c> are stored but unused.
/// </summary>
public sealed class MobileNetBackbone : KerasHubArchitecture
{
    /// <inheritdoc />
    public override string RegisteredName => "keras_hub>MobileNetBackbone";

    /// <inheritdoc />
    public override ModelDescription Build(LayerReader arguments, KerasHubContext context)
    {
        var spec = MobileNetBackboneSpec.Read(arguments);
        var numBlocks = spec.StackwiseNumBlocks;
        int stacks = numBlocks.Length;
        int inputFilters = MobileNetChannels.Adjust(spec.InputNumFilters);
        int depthwiseFilters = spec.DepthwiseFilters;

        var graph = new HubGraph();
        var image = graph.Input("input_layer", "float32", [.. spec.ImageShape.Select(d => d < 0 ? null : (int?)d)]);
        var x = graph.Call("input_pad", "ZeroPadding2D", new JsonObject { ["padding"] = new JsonArray(new JsonArray(1, 1), new JsonArray(1, 1)) }, image);
        x = graph.Call("input_conv", "Conv2D", new JsonObject
        {
            ["filters"] = inputFilters, ["kernel_size"] = new JsonArray(3, 3), ["strides"] = new JsonArray(2, 2), ["padding"] = "valid",
            ["data_format"] = "channels_last", ["use_bias"] = false,
        }, x);
        x = graph.Call("input_batch_norm", "BatchNormalization", new JsonObject
        {
            ["axis"] = -1, ["epsilon"] = MobileNetChannels.BatchNormEpsilon, ["momentum"] = 0.9,
        }, x);
        x = graph.Call("activation", "Activation", new JsonObject { ["activation"] = spec.InputActivation }, x);
        var depthwise = new JsonObject
        {
            ["infilters"] = inputFilters, ["filters"] = depthwiseFilters, ["kernel_size"] = 3,
            ["stride"] = spec.DepthwiseStride, ["residual"] = spec.DepthwiseResidual,
        };
        if (spec.SqueezeAndExcite is { } ratio) depthwise["squeeze_excite_ratio"] = ratio;
        // DepthwiseConvBlock renames itself f"{name}_0".
        x = graph.Call("block_0_0", "keras_hub>DepthwiseConvBlock", depthwise, x);
        int channels = depthwiseFilters;
        for (int stack = 0; stack < stacks; stack++)
            for (int block = 0; block < numBlocks[stack]; block++)
            {
                int output = MobileNetChannels.Adjust(spec.StackwiseNumFilters[stack][block]);
                x = graph.Call($"block_{stack + 1}_{block}", "keras_hub>InvertedResidualBlock", new JsonObject
                {
                    ["expansion"] = spec.StackwiseExpansion[stack][block], ["infilters"] = channels, ["filters"] = output,
                    ["kernel_size"] = spec.StackwiseKernelSize[stack][block], ["stride"] = spec.StackwiseNumStrides[stack][block],
                    ["squeeze_excite_ratio"] = spec.StackwiseSeRatio[stack][block],
                    ["activation"] = spec.StackwiseActivation[stack][block], ["padding"] = spec.StackwisePadding[stack][block],
                }, x);
                channels = output;
            }
        // The head's activation is hard_swish whatever output_activation says (the constructor hard-codes it).
        var head = graph.Call($"block_{stacks + 1}_0", "keras_hub>ConvBnActBlock", new JsonObject
        {
            ["filter"] = MobileNetChannels.Adjust(spec.LastLayerFilter), ["activation"] = "hard_swish",
        }, x);
        return graph.Build(arguments.Name, [head]);
    }
}
