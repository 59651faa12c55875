using KerasPort.Runtime.Layers.Recurrent;

namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>
/// Keras 3 <c>Pipeline</c> (keras/src/layers/preprocessing/pipeline.py): a plain layer that applies the layers of its
/// spec's list one after another, each getting the previous one's mask and the call's training mode.
/// Keras 3 files keep each layer's weights under <c>layers/&lt;snake_case class&gt;[_n]</c>, legacy files under
/// <c>pipeline/&lt;layer name&gt;/...</c> (<see cref="NestedLayerDescriptions.StackedCellWeights"/>).
/// </summary>
public sealed class Pipeline : KerasLayer
{
    readonly KerasLayer[] layers;

    /// <summary>Builds each layer of <paramref name="spec"/> with its share of the weights, for the shapes the previous one outputs.</summary>
    public Pipeline(LayerContext context, PipelineSpec spec) : base(context)
    {
        var entries = spec.Layers;
        var shares = NestedLayerDescriptions.StackedCellWeights(context, entries, context.Weights, "layers");
        var built = new List<KerasLayer>();
        var shapes = context.InputShapes;
        try
        {
            for (int i = 0; i < entries.Count; i++)
            {
                built.Add(NestedLayers.Create(context, entries[i], $"layers/{i}", shares[i], shapes));
                if (shapes is not null) shapes = OutputShapes(built[^1], shapes, context.Device);
            }
        }
        catch
        {
            foreach (var layer in built) layer.Dispose();
            throw;
        }
        layers = [.. built];
    }

    /// <summary>The shapes <paramref name="layer"/> outputs for inputs of <paramref name="inputShapes"/>: the next layer's inputs.</summary>
    static IReadOnlyList<long[]> OutputShapes(KerasLayer layer, IReadOnlyList<long[]> inputShapes, Device device)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var inputs = inputShapes.Select(s => (object?)zeros(s, ScalarType.Float32, device)).ToList();
        return layer.Call(new CallArguments(inputs, new Dictionary<string, object?>())).Select(o => o.Sizes()).ToList();
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        IReadOnlyList<object?> inputs = arguments.Args;
        var mask = arguments.Mask;
        Tensor[] outputs = [];
        foreach (var layer in layers)
        {
            var call = arguments.ForInner(inputs, new Dictionary<string, object?>(), mask);
            outputs = layer.Call(call);
            mask = layer.ComputeMask(call, mask);
            inputs = [.. outputs];
        }
        return outputs;
    }

    /// <inheritdoc />
    /// <remarks>Runs the layers again: a layer's mask may depend on its input (Masking, Embedding's <c>mask_zero</c>).</remarks>
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask)
    {
        IReadOnlyList<object?> inputs = arguments.Args;
        var mask = inputMask;
        for (int i = 0; i < layers.Length; i++)
        {
            var call = arguments.ForInner(inputs, new Dictionary<string, object?>(), mask);
            mask = layers[i].ComputeMask(call, mask);
            if (i < layers.Length - 1) inputs = [.. layers[i].Call(call)];
        }
        return mask;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) foreach (var layer in layers) layer.Dispose();
        base.Dispose(disposing);
    }
}
