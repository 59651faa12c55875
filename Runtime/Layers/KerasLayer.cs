using TorchSharp;

namespace KerasPort.Runtime.Layers;

/// <summary>
/// A Keras layer on TorchSharp: built once from its config and weights, then called any number of times,
/// from any thread. Subclasses are small and immutable; the weights they hold are read-only tensors.
/// Inputs and outputs use Keras's layout (channels_last unless the config says otherwise).
/// </summary>
/// <remarks>
/// Training (<c>KerasModel.Fit</c>) does not mutate layers: each step builds fresh layers from the model's live
/// weight tensors (<see cref="LayerContext.Bindings"/>) and calls them with <see cref="CallArguments.Training"/>, and
/// the model's inference layers are rebuilt from the updated weights afterwards.
/// </remarks>
public abstract class KerasLayer : IDisposable
{
    readonly List<Tensor> ownedTensors = [];
    readonly bool trainingBuild;

    /// <summary>Builds the common part from the layer's construction context.</summary>
    protected KerasLayer(LayerContext context)
    {
        Name = context.Name;
        ClassName = context.ClassName;
        Weights = context.Weights;
        TrainableByConfig = context.Description.Trainable;
        trainingBuild = context.Bindings is not null;
        AutocastType = context.AutocastType;
    }

    /// <summary>The float type the graph casts the layer's floating inputs to before a call (Keras's autocast), or null for none.</summary>
    internal ScalarType? AutocastType { get; }

    /// <summary>The layer's name in its model.</summary>
    public string Name { get; }

    /// <summary>The Keras class name.</summary>
    public string ClassName { get; }

    /// <summary>The weights the layer was built from, in Keras order (complete once the constructor has run).</summary>
    public IReadOnlyList<WeightArray> Weights { get; }

    /// <summary>The config's <c>trainable</c> flag.</summary>
    protected bool TrainableByConfig { get; }

    /// <summary>Keras's <c>layer.trainable</c>: false freezes the layer's weights (and keeps BatchNormalization in inference mode).</summary>
    public bool Trainable => TrainableByConfig;

    /// <summary>Runs the layer on one call's arguments and returns its output tensors.</summary>
    public abstract Tensor[] Call(CallArguments arguments);

    /// <summary>
    /// The mask the layer's output carries (Keras's <c>compute_mask</c>), given the call and its input mask.
    /// By default the input mask passes through unchanged, as for Keras layers with <c>supports_masking</c>.
    /// </summary>
    public virtual Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => inputMask;

    /// <summary>Whether weight <paramref name="index"/> is trainable (Keras counts the rest as non-trainable params).</summary>
    public virtual bool IsTrainableWeight(int index) => TrainableByConfig;

    /// <summary>Total parameter count, as Keras's <c>count_params()</c>.</summary>
    public virtual long ParamCount => Weights.Sum(w => w.Value.Length);

    /// <summary>Trainable parameter count.</summary>
    public virtual long TrainableParamCount => Weights.Where((_, i) => IsTrainableWeight(i)).Sum(w => w.Value.Length);

    /// <summary>
    /// Keeps <paramref name="tensor"/> alive for the layer's lifetime, outside any DisposeScope. In a training build
    /// the tensor stays connected to the bound weights it was computed from (gradients must reach them).
    /// </summary>
    protected Tensor Own(Tensor tensor)
    {
        var kept = tensor.DetachFromDisposeScope();
        if (!trainingBuild) kept.requires_grad_(false);
        ownedTensors.Add(kept);
        return kept;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the tensors the layer owns.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing) return;
        foreach (var tensor in ownedTensors) tensor.Dispose();
        ownedTensors.Clear();
    }
}
