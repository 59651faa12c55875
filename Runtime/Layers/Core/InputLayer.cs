using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.Core;

/// <summary>Keras <c>InputLayer</c>: the graph feeds the model input here; calling it returns the input unchanged.</summary>
public sealed class InputLayer : KerasLayer
{
    /// <summary>Builds the layer.</summary>
    public InputLayer(LayerContext context) : base(context)
    {
        BatchShape = context.Ints("batch_shape") ?? context.Ints("batch_input_shape");
        DTypeName = context.DTypeName;
    }

    /// <summary>The declared input shape with the batch dimension first; -1 marks an unknown size. Null if not declared.</summary>
    public int[]? BatchShape { get; }

    /// <summary>The declared dtype name, e.g. <c>float32</c> or <c>int32</c>.</summary>
    public string DTypeName { get; }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [arguments.Input];
}
