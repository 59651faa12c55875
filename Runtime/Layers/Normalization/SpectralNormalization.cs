namespace KerasPort.Runtime.Layers.Normalization;

/// <summary>
/// Keras <c>SpectralNormalization</c> wrapper at inference: it calls the wrapped layer (Dense, Conv, Embedding, ...)
/// with the stored kernel unchanged. Keras renormalizes the kernel by the power-iterated <c>vector_u</c> only when
/// <c>training=True</c> (keras/src/layers/normalization/spectral_normalization.py <c>call</c>), and a saved model
/// already holds that kernel. The non-trainable <c>vector_u</c> only counts towards the parameters. Which weights
/// are the wrapped layer's and which is <c>vector_u</c>: <see cref="NestedLayerDescriptions.SpectralNormalized"/>.
/// </summary>
public sealed class SpectralNormalization : KerasLayer
{
    readonly KerasLayer inner;
    readonly long vectorSize;

    /// <summary>Builds the wrapper and, through the registry, the wrapped layer.</summary>
    public SpectralNormalization(LayerContext context, SpectralNormalizationSpec spec) : base(context)
    {
        bool fileHasWeights = context.Weights.Count > 0;
        var (description, vectorIndex) = NestedLayerDescriptions.SpectralNormalized(context);
        inner = context.Registry.Create(context.ForInner(description, context.InputShapes));
        try
        {
            // A file without weights: the wrapped layer's were created first, vector_u follows them (legacy order).
            if (vectorIndex < 0 && !fileHasWeights && context.InitializeMissingWeights) vectorIndex = context.Weights.Count;
            if (vectorIndex < 0)
                throw new WeightMismatchException(context.Name, "vector_u", "SpectralNormalization needs its 'vector_u' weight");
            // vector_u is (1, the wrapped kernel's last axis): its kernel or embeddings come first among its weights.
            long units = inner.Weights is [var kernel, ..] ? kernel.Value.Shape[^1] : -1;
            using var vector = context.Weight(vectorIndex, "vector_u", 1, units);
            vectorSize = vector.numel();
        }
        catch
        {
            inner.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public override long ParamCount => inner.ParamCount + vectorSize;

    /// <inheritdoc />
    public override long TrainableParamCount => TrainableByConfig ? inner.TrainableParamCount : 0;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => arguments.Training
        ? throw new UnsupportedLayerException(ClassName, Name, "training (power iteration on vector_u) is not supported")
        : inner.Call(arguments);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
