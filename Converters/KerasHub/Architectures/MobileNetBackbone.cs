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
        var imageShape = arguments.Ints("image_shape") ?? [-1, -1, 3];
        if (imageShape.Length != 3 || imageShape[2] <= 0) throw arguments.ConfigError("image_shape", "must be (height, width, channels) with known channels");
        var numBlocks = arguments.Ints("stackwise_num_blocks") ?? throw arguments.ConfigError("stackwise_num_blocks", "is required");
        int stacks = numBlocks.Length;
        int[][] IntLists(string key) => Lists(arguments, key, stacks, numBlocks, (node, k) => node is JsonValue v ? (int)v.GetValue<double>() : throw arguments.ConfigError(k, "holds a non-number"));
        var expansion = IntLists("stackwise_expansion");
        var filters = IntLists("stackwise_num_filters");
        var kernels = IntLists("stackwise_kernel_size");
        var strides = IntLists("stackwise_num_strides");
        var paddings = IntLists("stackwise_padding");
        var seRatios = Lists(arguments, "stackwise_se_ratio", stacks, numBlocks, (node, _) => node is JsonValue v ? v.GetValue<double>() : 0);
        var activations = Lists(arguments, "stackwise_activation", stacks, numBlocks,
            (node, k) => node is JsonValue v && v.TryGetValue<string>(out var name) ? name : throw arguments.ConfigError(k, "holds a non-string activation"));
        int inputFilters = MobileNetChannels.Adjust(arguments.IntAtLeast("input_num_filters", 16, 1));
        int depthwiseFilters = arguments.IntAtLeast("depthwise_filters", 0, 1);

        var graph = new HubGraph();
        var image = graph.Input("input_layer", "float32", [.. imageShape.Select(d => d < 0 ? null : (int?)d)]);
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
        x = graph.Call("activation", "Activation", new JsonObject { ["activation"] = arguments.String("input_activation", "hard_swish") }, x);
        var depthwise = new JsonObject
        {
            ["infilters"] = inputFilters, ["filters"] = depthwiseFilters, ["kernel_size"] = 3,
            ["stride"] = arguments.IntAtLeast("depthwise_stride", 2, 1), ["residual"] = arguments.Bool("depthwise_residual", false),
        };
        if (arguments.Has("squeeze_and_excite")) depthwise["squeeze_excite_ratio"] = arguments.DoubleAtLeast("squeeze_and_excite", 0, 0);
        // DepthwiseConvBlock renames itself f"{name}_0".
        x = graph.Call("block_0_0", "keras_hub>DepthwiseConvBlock", depthwise, x);
        int channels = depthwiseFilters;
        for (int stack = 0; stack < stacks; stack++)
            for (int block = 0; block < numBlocks[stack]; block++)
            {
                int output = MobileNetChannels.Adjust(filters[stack][block]);
                x = graph.Call($"block_{stack + 1}_{block}", "keras_hub>InvertedResidualBlock", new JsonObject
                {
                    ["expansion"] = expansion[stack][block], ["infilters"] = channels, ["filters"] = output,
                    ["kernel_size"] = kernels[stack][block], ["stride"] = strides[stack][block], ["squeeze_excite_ratio"] = seRatios[stack][block],
                    ["activation"] = activations[stack][block], ["padding"] = paddings[stack][block],
                }, x);
                channels = output;
            }
        // The head's activation is hard_swish whatever output_activation says (the constructor hard-codes it).
        var head = graph.Call($"block_{stacks + 1}_0", "keras_hub>ConvBnActBlock", new JsonObject
        {
            ["filter"] = MobileNetChannels.Adjust(arguments.IntAtLeast("last_layer_filter", 0, 1)), ["activation"] = "hard_swish",
        }, x);
        return graph.Build(arguments.Name, [head]);
    }

    /// <summary>A <c>stackwise_*</c> argument: one list per stack, with at least <c>stackwise_num_blocks[s]</c> entries each.</summary>
    static T[][] Lists<T>(LayerReader arguments, string key, int stacks, int[] numBlocks, Func<JsonNode?, string, T> item)
    {
        if (arguments.Config[key] is not JsonArray outer || outer.Count < stacks)
            throw arguments.ConfigError(key, $"must hold one list per stack ({stacks})");
        return [.. Enumerable.Range(0, stacks).Select(s => outer[s] is JsonArray inner && inner.Count >= numBlocks[s]
            ? inner.Take(numBlocks[s]).Select(n => item(n, key)).ToArray()
            : throw arguments.ConfigError(key, $"stack {s} must list {numBlocks[s]} blocks"))];
    }
}
