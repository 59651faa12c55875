namespace KerasPort.Runtime.Layers;

/// <summary>
/// An activation layer that can overwrite its input with its output, computing the same values with the in-place twins
/// of its own operators (<c>relu_</c> for <c>relu</c>, ...). The inference plan (<see cref="Graph.InferencePlan"/>) applies
/// it to a fresh tensor that only this layer reads, saving an allocation and a pass over memory.
/// </summary>
internal interface IInPlaceActivation
{
    /// <summary>The in-place form (returns its argument, overwritten), or null where the layer's config has none.</summary>
    Func<Tensor, Tensor>? InPlace { get; }

    /// <summary>
    /// The oneDNN post-op a packed convolution can apply in its output pass instead (see
    /// <see cref="Activations.Activations.ConvolutionPostOp"/>), or null.
    /// </summary>
    string? ConvolutionPostOp => null;
}
