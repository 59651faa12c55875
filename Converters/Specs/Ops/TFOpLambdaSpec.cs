namespace KerasPort.Specs.Ops;

/// <summary>
/// tf.keras 2.4+ <c>TFOpLambda</c> (tf_keras/src/layers/core/tf_op_layer.py): a TensorFlow API call recorded as plain
/// data, its arguments in the call's kwargs. Nothing is executed from the file: the function name selects a kernel.
/// </summary>
/// <param name="Function">The TensorFlow function without its <c>tf.</c> (<c>function</c>, e.g. <c>math.reduce_mean</c>).</param>
public sealed record TFOpLambdaSpec(string Function) : LayerSpec, ILayerSpec<TFOpLambdaSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["TFOpLambda"];

    /// <inheritdoc />
    public static TFOpLambdaSpec Read(LayerReader layer) =>
        new(layer.String("function") is { Length: > 0 } function ? function : throw layer.ConfigError("function", "missing (the TensorFlow function's name)"));
}
