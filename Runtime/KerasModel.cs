using KerasPort.Converters.Model;
using KerasPort.Runtime.Graph;
using static TorchSharp.torch;

namespace KerasPort.Runtime;

/// <summary>
/// A Keras model ready to run on TorchSharp. Thread-safe: <see cref="Predict"/> and <see cref="Trace"/> may be
/// called concurrently; every call owns its temporaries in a DisposeScope and returns plain arrays.
/// </summary>
public sealed class KerasModel : IDisposable
{
    KerasModel(ModelGraph graph, Device device)
    {
        Graph = graph;
        Device = device;
    }

    /// <summary>
    /// Builds the model on <paramref name="device"/> (CPU by default) with <paramref name="registry"/> (built-in layers by
    /// default). With <paramref name="initializeMissingWeights"/>, weights the description lacks are created with
    /// Keras-like initial values (for architecture-only files); otherwise a missing weight is an error.
    /// </summary>
    public static KerasModel Create(ModelDescription description, LayerRegistry? registry = null, Device? device = null, bool initializeMissingWeights = false)
    {
        var target = device ?? CPU;
        return new KerasModel(new ModelGraph(description, registry ?? LayerRegistry.CreateDefault(), target, initializeMissingWeights), target);
    }

    /// <summary>True if no layer of <paramref name="description"/> (or of its nested models) carries weights: an architecture-only file.</summary>
    public static bool IsArchitectureOnly(ModelDescription description) =>
        description.Layers.All(l => l.Weights.Count == 0 && (l.Nested is null || IsArchitectureOnly(l.Nested)));

    /// <summary>The runnable graph.</summary>
    public ModelGraph Graph { get; }

    /// <summary>The model description.</summary>
    public ModelDescription Description => Graph.Description;

    /// <summary>Where the model runs.</summary>
    public Device Device { get; }

    /// <summary>Runs the model on inputs in <c>model.inputs</c> order (Keras layout and dtype) and returns its outputs.</summary>
    public NdArray[] Predict(params NdArray[] inputs)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var outputs = Graph.Execute(inputs.Select(i => TensorConversions.ToTensor(i, Device)).ToList());
        return outputs.Select(TensorConversions.ToNdArray).ToArray();
    }

    /// <summary>Runs the model and returns every layer call's outputs as well as the model outputs.</summary>
    public ModelTrace Trace(IReadOnlyList<NdArray> inputs)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var calls = new List<LayerCallOutput>();
        var outputs = Graph.Execute(inputs.Select(i => TensorConversions.ToTensor(i, Device)).ToList(), calls);
        return new ModelTrace(calls, outputs.Select(TensorConversions.ToNdArray).ToList());
    }

    /// <inheritdoc />
    public void Dispose() => Graph.Dispose();
}
