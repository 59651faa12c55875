
namespace KerasPort.Runtime;

/// <summary>The outputs of one layer call in a traced forward pass; a nested model's call also carries the trace of its inner layers.</summary>
public sealed record LayerCallOutput(string Layer, int NodeIndex, IReadOnlyList<NdArray> Outputs, ModelTrace? Inner);

/// <summary>Every layer's outputs from one forward pass, plus the model outputs, for parity checks and diffing.</summary>
public sealed record ModelTrace(IReadOnlyList<LayerCallOutput> Calls, IReadOnlyList<NdArray> Outputs)
{
    /// <summary>The outputs of call <paramref name="nodeIndex"/> of layer <paramref name="layer"/>, or null if it was not run.</summary>
    public LayerCallOutput? Find(string layer, int nodeIndex = 0) =>
        Calls.FirstOrDefault(c => c.Layer == layer && c.NodeIndex == nodeIndex);
}
