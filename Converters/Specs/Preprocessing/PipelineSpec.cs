namespace KerasPort.Specs.Preprocessing;

/// <summary>
/// Keras 3 <c>Pipeline</c> (keras/src/layers/preprocessing/pipeline.py): the layers of its <c>layers</c> list applied
/// one after another.
/// </summary>
/// <param name="Layers">The serialized layers, in order.</param>
public sealed record PipelineSpec(JsonArray Layers) : LayerSpec, ILayerSpec<PipelineSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["Pipeline"];

    /// <inheritdoc />
    public static PipelineSpec Read(LayerReader layer) => new(layer.Config["layers"] as JsonArray ?? throw layer.ConfigError("layers", "missing (a list of layers)"));
}
