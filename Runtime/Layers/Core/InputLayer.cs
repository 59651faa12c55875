namespace KerasPort.Runtime.Layers.Core;

/// <summary>Keras <c>InputLayer</c>: the graph feeds the model input here; calling it returns the input unchanged.</summary>
public sealed class InputLayer : KerasLayer
{
    /// <summary>Builds the layer.</summary>
    public InputLayer(LayerContext context, InputLayerSpec spec) : base(context) => (BatchShape, DTypeName) = (spec.BatchShape, spec.DTypeName);

    /// <summary>The declared input shape with the batch dimension first; -1 marks an unknown size. Null if not declared.</summary>
    public int[]? BatchShape { get; }

    /// <summary>The declared dtype name, e.g. <c>float32</c> or <c>int32</c>.</summary>
    public string DTypeName { get; }

    /// <summary>True when the input takes integer data (token ids).</summary>
    public bool TakesIntegers => DTypeName.StartsWith("int", StringComparison.Ordinal);

    /// <summary>True when the input takes strings (Keras's <c>dtype='string'</c>, fed to text and lookup layers).</summary>
    public bool TakesStrings => DTypeName == "string";

    /// <summary>
    /// Made-up input of <paramref name="shape"/>: empty strings, zeros (valid token ids) for integer inputs, else float zeros.
    /// </summary>
    public NdArray DummyInput(long[] shape)
    {
        long count = shape.Aggregate(1L, (x, y) => x * y);
        return TakesStrings ? NdArray.Of(Enumerable.Repeat("", (int)count).ToArray(), shape)
            : TakesIntegers ? NdArray.Of(new int[count], shape)
            : NdArray.Of(new float[count], shape);
    }

    /// <summary>
    /// A concrete shape for made-up inputs: the declared shape with an unknown batch set to <paramref name="batch"/>
    /// and every other unknown dimension to <paramref name="free"/> (<c>[batch, free]</c> when no shape is declared).
    /// </summary>
    public long[] ConcreteShape(long batch, long free) =>
        (BatchShape ?? [-1, -1]).Select((d, i) => d > 0 ? d : i == 0 ? batch : free).ToArray();

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [arguments.Input];
}
