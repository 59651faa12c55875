using System.Text.Json.Nodes;
using KerasPort.Converters;
using KerasPort.Converters.Model;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.Normalization;

/// <summary>
/// Keras <c>SpectralNormalization</c> wrapper at inference: it calls the wrapped layer (Dense, Conv, Embedding, ...)
/// with the stored kernel unchanged. Keras renormalizes the kernel by the power-iterated <c>vector_u</c> only when
/// <c>training=True</c> (keras/src/layers/normalization/spectral_normalization.py <c>call</c>), and a saved model
/// already holds that kernel. The non-trainable <c>vector_u</c> only counts towards the parameters.
/// Keras 3 files hold the wrapper's own <c>vars/0</c> (the tracked kernel, a duplicate), <c>vars/1</c>
/// (<c>vector_u</c>) and the wrapped layer's weights under <c>layer/</c>; legacy files hold the wrapped layer's
/// weights, then <c>vector_u</c>.
/// </summary>
public sealed class SpectralNormalization : KerasLayer
{
    const string InnerPrefix = "layer/";

    readonly KerasLayer inner;
    readonly long vectorSize;

    /// <summary>Builds the wrapper and, through the registry, the wrapped layer.</summary>
    public SpectralNormalization(LayerContext context) : base(context)
    {
        if (context.Config["layer"] is not JsonObject { } layerJson || layerJson["config"] is not JsonObject layerConfig)
            throw new FormatException($"SpectralNormalization '{context.Name}' has no wrapped 'layer' config");
        var weights = context.Weights.ToList();
        bool keras3 = weights.Any(w => w.Name.StartsWith(InnerPrefix, StringComparison.Ordinal));
        var innerWeights = keras3
            ? weights.Where(w => w.Name.StartsWith(InnerPrefix, StringComparison.Ordinal)).Select(w => w with { Name = w.Name[InnerPrefix.Length..] })
            : weights.Where(w => !IsVectorU(w));
        int vectorIndex = keras3
            ? weights.FindLastIndex(w => !w.Name.StartsWith(InnerPrefix, StringComparison.Ordinal))
            : weights.FindIndex(IsVectorU);
        var description = new LayerDescription
        {
            Name = (string?)layerConfig["name"] ?? context.Name + "_layer",
            ClassName = (string?)layerJson["class_name"] ?? throw new FormatException($"SpectralNormalization '{context.Name}': wrapped layer has no class_name"),
            Config = (JsonObject)layerConfig.DeepClone(),
            Weights = innerWeights.ToList(),
            Module = (string?)layerJson["module"],
        };
        inner = context.Registry.Create(context.ForInner(description, context.InputShapes));
        try
        {
            // A file without weights: the wrapped layer's were created first, vector_u follows them (legacy order).
            if (vectorIndex < 0 && weights.Count == 0 && context.InitializeMissingWeights) vectorIndex = context.Weights.Count;
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

    static bool IsVectorU(WeightArray weight) => weight.Name.Split('/')[^1].Split(':')[0] == "vector_u";

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
