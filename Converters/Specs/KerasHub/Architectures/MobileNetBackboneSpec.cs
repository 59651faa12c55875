namespace KerasPort.Specs.KerasHub.Architectures;

/// <summary>
/// The constructor arguments of keras_hub's <c>MobileNetBackbone</c> (keras_hub/src/models/mobilenet/mobilenet_backbone.py,
/// v0.31.1 <c>__init__</c>), validated: the <c>stackwise_*</c> lists hold one list per stack with at least
/// <c>stackwise_num_blocks[s]</c> entries each (the extra ones are ignored, as the constructor ignores them).
/// <c>output_num_filters</c> and <c>output_activation</c>, stored but unused by the constructor, are not read.
/// </summary>
/// <param name="ImageShape"><c>image_shape</c> (height, width, channels; -1 for an unknown size; default (None, None, 3)).</param>
/// <param name="StackwiseNumBlocks"><c>stackwise_num_blocks</c>: blocks per stack.</param>
/// <param name="StackwiseExpansion"><c>stackwise_expansion</c>, per stack and block.</param>
/// <param name="StackwiseNumFilters"><c>stackwise_num_filters</c>, per stack and block (before channel adjustment).</param>
/// <param name="StackwiseKernelSize"><c>stackwise_kernel_size</c>, per stack and block.</param>
/// <param name="StackwiseNumStrides"><c>stackwise_num_strides</c>, per stack and block.</param>
/// <param name="StackwiseSeRatio"><c>stackwise_se_ratio</c>, per stack and block (None: 0, no squeeze-and-excite).</param>
/// <param name="StackwiseActivation"><c>stackwise_activation</c>, per stack and block.</param>
/// <param name="StackwisePadding"><c>stackwise_padding</c>, per stack and block.</param>
/// <param name="InputNumFilters"><c>input_num_filters</c> (16; before channel adjustment).</param>
/// <param name="InputActivation"><c>input_activation</c> ("hard_swish").</param>
/// <param name="DepthwiseFilters"><c>depthwise_filters</c>.</param>
/// <param name="DepthwiseStride"><c>depthwise_stride</c> (2 where absent).</param>
/// <param name="DepthwiseResidual"><c>depthwise_residual</c> (False where absent).</param>
/// <param name="SqueezeAndExcite"><c>squeeze_and_excite</c> (None).</param>
/// <param name="LastLayerFilter"><c>last_layer_filter</c> (before channel adjustment).</param>
internal sealed record MobileNetBackboneSpec(
    int[] ImageShape, int[] StackwiseNumBlocks, int[][] StackwiseExpansion, int[][] StackwiseNumFilters, int[][] StackwiseKernelSize,
    int[][] StackwiseNumStrides, double[][] StackwiseSeRatio, string[][] StackwiseActivation, int[][] StackwisePadding,
    int InputNumFilters, string InputActivation, int DepthwiseFilters, int DepthwiseStride, bool DepthwiseResidual, double? SqueezeAndExcite,
    int LastLayerFilter)
{
    /// <summary>Reads a <c>MobileNetBackbone</c>'s arguments.</summary>
    public static MobileNetBackboneSpec Read(LayerReader arguments)
    {
        var imageShape = arguments.Ints("image_shape") ?? [-1, -1, 3];
        if (imageShape.Length != 3 || imageShape[2] <= 0) throw arguments.ConfigError("image_shape", "must be (height, width, channels) with known channels");
        var numBlocks = arguments.Ints("stackwise_num_blocks") ?? throw arguments.ConfigError("stackwise_num_blocks", "is required");
        int[][] IntLists(string key) => Lists(arguments, key, numBlocks, (node, k) => node is JsonValue v ? (int)v.GetValue<double>() : throw arguments.ConfigError(k, "holds a non-number"));
        return new(imageShape, numBlocks,
            IntLists("stackwise_expansion"), IntLists("stackwise_num_filters"), IntLists("stackwise_kernel_size"), IntLists("stackwise_num_strides"),
            Lists(arguments, "stackwise_se_ratio", numBlocks, (node, _) => node is JsonValue v ? v.GetValue<double>() : 0),
            Lists(arguments, "stackwise_activation", numBlocks,
                (node, k) => node is JsonValue v && v.TryGetValue<string>(out var name) ? name : throw arguments.ConfigError(k, "holds a non-string activation")),
            IntLists("stackwise_padding"),
            arguments.IntAtLeast("input_num_filters", 16, 1), arguments.String("input_activation", "hard_swish")!,
            arguments.IntAtLeast("depthwise_filters", 0, 1), arguments.IntAtLeast("depthwise_stride", 2, 1), arguments.Bool("depthwise_residual", false),
            arguments.Has("squeeze_and_excite") ? arguments.DoubleAtLeast("squeeze_and_excite", 0, 0) : null,
            arguments.IntAtLeast("last_layer_filter", 0, 1));
    }

    /// <summary>A <c>stackwise_*</c> argument: one list per stack, with at least <c>stackwise_num_blocks[s]</c> entries each.</summary>
    static T[][] Lists<T>(LayerReader arguments, string key, int[] numBlocks, Func<JsonNode?, string, T> item)
    {
        int stacks = numBlocks.Length;
        if (arguments.Config[key] is not JsonArray outer || outer.Count < stacks)
            throw arguments.ConfigError(key, $"must hold one list per stack ({stacks})");
        return [.. Enumerable.Range(0, stacks).Select(s => outer[s] is JsonArray inner && inner.Count >= numBlocks[s]
            ? inner.Take(numBlocks[s]).Select(n => item(n, key)).ToArray()
            : throw arguments.ConfigError(key, $"stack {s} must list {numBlocks[s]} blocks"))];
    }
}
