using KerasPort.Converters.Model;
using KerasPort.Runtime;

namespace KerasPort.Reference.Worker;

/// <summary>
/// Inputs made from a model's input specs, for comparing with Keras when the user gives none: seeded standard-normal
/// floats, and valid token ids (below the smallest consuming Embedding's <c>input_dim</c>) for integer inputs and
/// inputs that feed an Embedding.
/// </summary>
public static class ReferenceInputs
{
    /// <summary>One array per model input, keyed by input layer name, in model-input order.</summary>
    /// <param name="model">The model (its input layers give shapes and dtypes).</param>
    /// <param name="batch">Batch size.</param>
    /// <param name="freeSize">Size of every other unknown dimension (sequence lengths, free spatial sizes).</param>
    /// <param name="seed">Random seed: the same seed gives the same arrays.</param>
    public static IReadOnlyDictionary<string, NdArray> Generate(KerasModel model, int batch = 2, int freeSize = 8, int seed = 0)
    {
        var random = new Random(seed);
        var result = new Dictionary<string, NdArray>(StringComparer.Ordinal);
        foreach (var input in model.Graph.InputLayers)
        {
            var declared = input.BatchShape ?? [-1];
            var shape = declared.Select((d, i) => (long)(d > 0 ? d : i == 0 ? batch : freeSize)).ToArray();
            int count = checked((int)shape.Aggregate(1L, (x, y) => x * y));
            bool integer = input.DTypeName.StartsWith("int", StringComparison.Ordinal) || input.DTypeName.StartsWith("uint", StringComparison.Ordinal);
            int? vocabulary = EmbeddingVocabulary(model.Description, input.Name);
            if (integer || vocabulary is not null)
            {
                int limit = vocabulary ?? 10;
                var tokens = Enumerable.Range(0, count).Select(_ => random.Next(limit)).ToArray();
                result[input.Name] = integer ? NdArray.Of(tokens, shape) : NdArray.Of(tokens.Select(t => (float)t).ToArray(), shape);
            }
            else result[input.Name] = NdArray.Of(Enumerable.Range(0, count).Select(_ => (float)Normal(random)).ToArray(), shape);
        }
        return result;
    }

    /// <summary>The smallest <c>input_dim</c> of the Embedding layers fed directly by input <paramref name="inputLayer"/>, or null.</summary>
    static int? EmbeddingVocabulary(ModelDescription model, string inputLayer) => model.Layers
        .Where(l => l.ClassName == "Embedding" && l.InboundNodes.Any(n => n.Tensors.Any(t => t.Layer == inputLayer)))
        .Select(l => (int?)l.Config["input_dim"]?.GetValue<int>())
        .Where(d => d > 0)
        .Min();

    /// <summary>A standard normal sample (Box–Muller).</summary>
    static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
