namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>
/// Base of the layers whose state is a TensorFlow lookup table (<see cref="StringLookup"/>, <see cref="IntegerLookup"/>,
/// <see cref="TextVectorization"/>): they run on the host, and Keras counts no parameters for them (the table and a
/// tf_idf layer's <c>idf_weights</c> are TensorFlow objects, not Keras weights).
/// </summary>
public abstract class LookupTableLayer : KerasLayer
{
    /// <summary>Builds the common part.</summary>
    protected LookupTableLayer(LayerContext context) : base(context) => Device = context.Device;

    /// <summary>Where the outputs are placed.</summary>
    protected Device Device { get; }

    /// <inheritdoc />
    public override long ParamCount => 0;

    /// <inheritdoc />
    public override long TrainableParamCount => 0;
}
