namespace KerasPort.Runtime.Layers;

/// <summary>
/// A layer whose output is linear in its input, one output channel per last (channels_last) axis entry, so that a
/// following per-channel <c>y * scale + shift</c> (an inference-time BatchNormalization) folds into its kernel and bias,
/// and which may have a faster form for inference (convolutions with their kernel packed for oneDNN). The inference
/// plan (<see cref="Graph.InferencePlan"/>) uses this; the layer itself stays unchanged, so traces, training and saving
/// still see the file's weights and computation.
/// </summary>
internal interface IFoldableLinear
{
    /// <summary>The rank of the layer's output where the layer fixes it (a convolution: spatial rank + 2); null where it follows the input (Dense).</summary>
    int? OutputRank { get; }

    /// <summary>
    /// The layer's computation for inference. With <paramref name="scale"/> and <paramref name="shift"/> (1-D, one entry
    /// per output channel), <c>y * scale + shift</c> is folded into the kernel and bias, and null means the config rules
    /// folding out (a non-linear activation, channels_first data). Without them, null means the layer has no faster
    /// inference form than its <see cref="KerasLayer.Call"/>. With <paramref name="zeroPadded"/> (before, after per spatial
    /// axis), the inference form takes the input of a ZeroPadding layer whose output only this layer reads, and pads it
    /// as part of its own computation; null means the layer cannot (only channels_last convolutions can). New weights and
    /// other resources go to <paramref name="owned"/>, which the caller disposes.
    /// </summary>
    LinearInference? Inference(Tensor? scale, Tensor? shift, ICollection<IDisposable> owned, (long Before, long After)[]? zeroPadded = null);
}

/// <summary>The inference form of a linear layer (<see cref="IFoldableLinear.Inference"/>).</summary>
/// <param name="apply">The layer's output for an input.</param>
/// <param name="applyAdding">
/// The layer's output for an input (first argument) added to a tensor of the plan's own (second argument, Keras layout,
/// overwritten where the shapes match, else left alone), returning the sum: what a following <c>Add</c> computes,
/// without a tensor for the layer's output. Null where the layer cannot (a non-linear activation).
/// </param>
/// <param name="applyActivated">
/// The layer's output for an input with an activation applied in the same pass, named by its oneDNN post-op
/// (<see cref="IInPlaceActivation.ConvolutionPostOp"/>). Null where the layer cannot.
/// </param>
internal sealed class LinearInference(Func<Tensor, Tensor> apply, Func<Tensor, Tensor, Tensor>? applyAdding = null,
    Func<Tensor, string, Tensor>? applyActivated = null)
{
    /// <summary>The layer's output with an activation named by its oneDNN post-op applied in the same pass; null where unsupported.</summary>
    public Func<Tensor, string, Tensor>? ApplyActivated { get; } = applyActivated;

    /// <summary>The layer's output for <paramref name="x"/>.</summary>
    public Tensor Apply(Tensor x) => apply(x);

    /// <summary>The layer's output for an input plus a second tensor, computed into that tensor where it can; null where unsupported.</summary>
    public Func<Tensor, Tensor, Tensor>? ApplyAdding { get; } = applyAdding;
}
