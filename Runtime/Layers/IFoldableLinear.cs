using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers;

/// <summary>
/// A layer whose output is linear in its input, one output channel per last (channels_last) axis entry, so that a
/// following per-channel <c>y * scale + shift</c> (an inference-time BatchNormalization) folds into its kernel and bias.
/// The inference plan (<see cref="Graph.InferencePlan"/>) uses this; the layer itself stays unchanged, so traces,
/// training and saving still see the file's weights.
/// </summary>
internal interface IFoldableLinear
{
    /// <summary>The rank of the layer's output where the layer fixes it (a convolution: spatial rank + 2); null where it follows the input (Dense).</summary>
    int? OutputRank { get; }

    /// <summary>
    /// The layer's computation with <c>y * scale + shift</c> folded in along the output channels (<paramref name="scale"/>
    /// and <paramref name="shift"/> are 1-D, one entry per channel), or null where the config rules folding out (a
    /// non-linear activation, channels_first data). The folded weights are new tensors, added to <paramref name="owned"/>
    /// for the caller to dispose.
    /// </summary>
    Func<Tensor, Tensor>? Fold(Tensor scale, Tensor shift, ICollection<Tensor> owned);
}
