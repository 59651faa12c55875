using KerasPort.Converters.Model;
using System.Text.Json.Nodes;
using KerasPort.Converters.Keras;

namespace KerasPort.Reference.Worker;

/// <summary>
/// Inputs made from a model's input specs, for comparing with Keras when the user gives none: seeded standard-normal
/// floats, and valid token ids (below the smallest consuming Embedding's <c>input_dim</c>) for integer inputs and
/// inputs that feed an Embedding.
/// </summary>
public static class ReferenceInputs
{
    /// <summary>One array per model input, keyed by input layer name, in model-input order.</summary>
    /// <param name="model">The model (its input layers' configs give shapes and dtypes; KerasPort need not support its layers).</param>
    /// <param name="batch">Batch size.</param>
    /// <param name="freeSize">Size of every other unknown dimension (sequence lengths, free spatial sizes).</param>
    /// <param name="seed">Random seed: the same seed gives the same arrays.</param>
    public static IReadOnlyDictionary<string, NdArray> Generate(ModelDescription model, int batch = 2, int freeSize = 8, int seed = 0)
    {
        var random = new Random(seed);
        var result = new Dictionary<string, NdArray>(StringComparer.Ordinal);
        foreach (var name in model.Inputs.Select(i => i.Layer).Distinct())
        {
            var config = model.Layer(name).Config;
            var declared = (config["batch_shape"] ?? config["batch_input_shape"]) is JsonArray dims
                ? dims.Select(d => d is JsonValue v && v.TryGetValue<int>(out var n) ? n : -1).ToArray()
                : [-1];
            var shape = declared.Select((d, i) => (long)(d > 0 ? d : i == 0 ? batch : freeSize)).ToArray();
            int count = checked((int)shape.Aggregate(1L, (x, y) => x * y));
            var dtype = KerasConfigReader.DTypeName(config["dtype"]) ?? "float32";
            bool integer = dtype.StartsWith("int", StringComparison.Ordinal) || dtype.StartsWith("uint", StringComparison.Ordinal);
            int? vocabulary = EmbeddingVocabulary(model, name);
            if (integer || vocabulary is not null)
            {
                int limit = vocabulary ?? 10;
                var tokens = Enumerable.Range(0, count).Select(_ => random.Next(limit)).ToArray();
                result[name] = integer ? NdArray.Of(tokens, shape) : NdArray.Of(tokens.Select(t => (float)t).ToArray(), shape);
            }
            else result[name] = NdArray.Of(Enumerable.Range(0, count).Select(_ => (float)Normal(random)).ToArray(), shape);
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
