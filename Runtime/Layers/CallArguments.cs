namespace KerasPort.Runtime.Layers;

/// <summary>
/// The arguments of one layer call, as the graph recorded them: positional arguments (tensors, constants or
/// lists of them) and keyword arguments. Constants stay JSON values.
/// </summary>
public sealed class CallArguments
{
    readonly IReadOnlyDictionary<Tensor, Tensor>? inputMasks;

    /// <summary>
    /// Creates call arguments. Each value is a <see cref="Tensor"/>, a <see cref="JsonNode"/> (or null) constant, or an
    /// <c>IReadOnlyList&lt;object?&gt;</c>. <paramref name="inputMasks"/> holds the masks upstream layers attached to
    /// input tensors (compared by reference).
    /// </summary>
    public CallArguments(IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs, Tensor? mask = null,
        IReadOnlyDictionary<Tensor, Tensor>? inputMasks = null)
    {
        Args = args;
        Kwargs = kwargs;
        Mask = kwargs.TryGetValue("mask", out var explicitMask) && explicitMask is Tensor t ? t : mask;
        this.inputMasks = inputMasks;
    }

    /// <summary>
    /// Keras's <c>training</c> argument: true while <c>fit</c> runs a training step, where BatchNormalization uses the
    /// batch statistics and updates its moving ones, and dropout and noise layers act. False for inference.
    /// </summary>
    public bool Training { get; init; }

    /// <summary>
    /// Where a call adds the losses Keras collects with <c>layer.add_loss</c> (activity regularization); null when
    /// no one collects them (plain inference).
    /// </summary>
    public ICollection<Tensor>? AddedLosses { get; init; }

    /// <summary>Positional arguments.</summary>
    public IReadOnlyList<object?> Args { get; }

    /// <summary>Keyword arguments.</summary>
    public IReadOnlyDictionary<string, object?> Kwargs { get; }

    /// <summary>The mask for the inputs: the explicit <c>mask=</c> argument, else the one propagated from upstream.</summary>
    public Tensor? Mask { get; }

    /// <summary>
    /// The mask the layer that produced <paramref name="input"/> attached to it (Keras's <c>_keras_mask</c>), or null.
    /// Layers with several tensor inputs (attention) read each input's mask here; <see cref="Mask"/> covers one input.
    /// </summary>
    public Tensor? MaskOf(Tensor input) => inputMasks?.GetValueOrDefault(input);

    /// <summary>
    /// The mask each tensor of <see cref="Inputs"/> carries from upstream (null where none). Keras 1/2 hand a layer
    /// called on a list of tensors this list of masks, e.g. an RNN whose initial states follow the sequence among its inputs.
    /// </summary>
    public IReadOnlyList<Tensor?> InputMasks => Inputs.Select(MaskOf).ToList();

    /// <summary>All tensors among the positional arguments, flattened in order.</summary>
    public IReadOnlyList<Tensor> Inputs => Flatten(Args).ToList();

    /// <summary>The single input tensor of a one-input layer.</summary>
    public Tensor Input => Args is [Tensor single] ? single : Inputs[0];

    /// <summary>
    /// The arguments of a call a wrapper makes to its inner layer (TimeDistributed, Bidirectional): new tensors and
    /// mask, the same <see cref="Training"/> mode and loss collector.
    /// </summary>
    public CallArguments ForInner(IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs, Tensor? mask) =>
        new(args, kwargs, mask) { Training = Training, AddedLosses = AddedLosses };

    /// <summary>Positional argument <paramref name="index"/> as a constant, or null.</summary>
    public JsonNode? Constant(int index) => index < Args.Count ? Args[index] as JsonNode : null;

    static IEnumerable<Tensor> Flatten(IEnumerable<object?> values)
    {
        foreach (var value in values)
        {
            if (value is Tensor tensor) yield return tensor;
            else if (value is IReadOnlyList<object?> list) foreach (var inner in Flatten(list)) yield return inner;
        }
    }
}
