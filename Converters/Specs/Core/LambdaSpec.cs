namespace KerasPort.Specs.Core;

/// <summary>
/// Keras <c>Lambda</c> (keras/src/layers/core/lambda_layer.py): its config holds marshalled Python bytecode, which
/// KerasPort never decodes or runs, so nothing of it is read; the layer is refused unless the user registers a C#
/// replacement.
/// </summary>
public sealed record LambdaSpec : LayerSpec, ILayerSpec<LambdaSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["Lambda"];

    /// <inheritdoc />
    public static LambdaSpec Read(LayerReader layer) => new();
}
