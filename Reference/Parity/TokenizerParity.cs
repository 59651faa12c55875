using System.Text.Json.Nodes;
using KerasPort.Converters.Numpy;
using KerasPort.KerasHub;
using KerasPort.Reference.Golden;

namespace KerasPort.Reference.Parity;

/// <summary>
/// Checks a golden KerasHub tokenizer case (case.json has a <c>tokenizer</c> record: see
/// ../shared/golden/kerashub/README.md) exactly: the dense ids of the saved tokenizer (case.json and io.npz
/// <c>final/0</c>), their detokenized strings, the ragged ids, pieces and strings of the same vocabulary without
/// bos/eos/padding (and io.npz's ragged values), the detokenize probes, token_to_id lookups and the vocabulary.
/// </summary>
public static class TokenizerParity
{
    /// <summary>Whether the case in <paramref name="caseDirectory"/> is a tokenizer case.</summary>
    public static bool IsTokenizerCase(string caseDirectory) => Record(caseDirectory) is not null;

    /// <summary>Runs the tokenizer case <paramref name="goldenCase"/> from its <c>model.keras</c>.</summary>
    public static ParityResult Run(GoldenCase goldenCase)
    {
        const string format = "keras";
        try
        {
            var record = Record(goldenCase.Directory) ?? throw new ModelFileException(goldenCase.PathOf("case.json"), "tokenizer", "no tokenizer record");
            var files = KerasHubTokenizerFiles.Read(goldenCase.PathOf("model.keras"));
            var saved = KerasHubTokenizer.Create(files.Tokenizer, files.Assets, goldenCase.PathOf("model.keras"));
            var plain = KerasHubTokenizer.Create(files.Tokenizer with { SequenceLength = null, AddBos = false, AddEos = false }, files.Assets);
            var strings = Strings(record["strings"]);
            var npz = NpzArchive.Read(goldenCase.PathOf("io.npz"));
            var dense = saved.Tokenize(strings);
            var ragged = plain.Tokenize(strings);
            var probes = record["detokenize_probes"]!;
            var lookups = (JsonObject)record["token_to_id"]!;
            var comparisons = new List<Comparison>
            {
                Same("tokenizer/ids", dense, Ids(record["ids"])),
                Same("final/0", dense, Rows(npz["final/0"])),
                Same("tokenizer/detokenized", saved.Detokenize(dense), Strings(record["detokenized"])),
                Same("tokenizer/ids_ragged", ragged, Ids(record["ids_ragged"])),
                Same("tokenizer/ids_ragged_values", ragged.SelectMany(r => r).ToArray(), Longs(npz["tokenizer/ids_ragged_values"])),
                Same("tokenizer/ids_ragged_row_lengths", ragged.Select(r => r.Length).ToArray(), Longs(npz["tokenizer/ids_ragged_row_lengths"])),
                Same("tokenizer/pieces_ragged", strings.Select(plain.TokenizeToTokens).ToArray(), Ids(record["pieces_ragged"], n => (string)n!)),
                Same("tokenizer/detokenized_ragged", plain.Detokenize(ragged), Strings(record["detokenized_ragged"])),
                Same("tokenizer/detokenize_probes", plain.Detokenize(Ids(probes["ids"])), Strings(probes["strings"])),
                Same("tokenizer/token_to_id", lookups.Select(kv => plain.TokenToId(kv.Key)).ToArray(), lookups.Select(kv => (int)kv.Value!).ToArray()),
                Same("tokenizer/vocabulary", Enumerable.Range(0, plain.VocabularySize).Select(plain.IdToToken).ToArray(), Strings(record["vocabulary"])),
            };
            return new ParityResult(goldenCase.Id, format, comparisons.All(c => c.Passed) ? ParityStatus.Pass : ParityStatus.Fail, comparisons);
        }
        catch (UnsupportedLayerException e)
        {
            return new ParityResult(goldenCase.Id, format, ParityStatus.Unsupported, [], e.Message, e.ClassName);
        }
        catch (Exception e) when (e is KerasPortException or IOException or InvalidDataException or ArgumentException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            return new ParityResult(goldenCase.Id, format, ParityStatus.Error, [], $"{e.GetType().Name}: {e.Message}");
        }
    }

    static JsonObject? Record(string caseDirectory)
    {
        var path = Path.Combine(caseDirectory, "case.json");
        return File.Exists(path) && JsonNode.Parse(File.ReadAllText(path)) is JsonObject root ? root["tokenizer"] as JsonObject : null;
    }

    /// <summary>An exact comparison of two sequences (of values or of rows): the error counts the items that differ.</summary>
    static Comparison Same<T>(string key, IReadOnlyList<T> actual, IReadOnlyList<T> expected)
    {
        var comparer = typeof(T).IsArray ? (IEqualityComparer<T>)new RowComparer<T>() : EqualityComparer<T>.Default;
        int differing = actual.Count == expected.Count ? actual.Where((a, i) => !comparer.Equals(a, expected[i])).Count() : Math.Max(actual.Count, expected.Count);
        int first = Enumerable.Range(0, Math.Min(actual.Count, expected.Count)).FirstOrDefault(i => !comparer.Equals(actual[i], expected[i]), -1);
        string? problem = differing == 0 ? null
            : actual.Count != expected.Count ? $"{actual.Count} items, Keras has {expected.Count}"
            : $"{differing} of {expected.Count} differ; first at [{first}]: {Show(actual[first])}, Keras {Show(expected[first])}";
        return new Comparison(key, differing, differing == 0, problem);
    }

    static string Show<T>(T value) => value is System.Collections.IEnumerable items and not string
        ? "[" + string.Join(", ", items.Cast<object>()) + "]"
        : $"'{value}'";

    sealed class RowComparer<T> : IEqualityComparer<T>
    {
        public bool Equals(T? x, T? y) => x is System.Collections.IEnumerable a && y is System.Collections.IEnumerable b && a.Cast<object>().SequenceEqual(b.Cast<object>());
        public int GetHashCode(T obj) => 0;
    }

    static string[] Strings(JsonNode? node) => ((JsonArray)node!).Select(n => (string)n!).ToArray();

    static int[][] Ids(JsonNode? node) => Ids(node, n => (int)n!);

    static T[][] Ids<T>(JsonNode? node, Func<JsonNode?, T> item) => ((JsonArray)node!).Select(row => ((JsonArray)row!).Select(item).ToArray()).ToArray();

    static int[][] Rows(NdArray array)
    {
        var values = Longs(array);
        int width = (int)array.Shape[^1];
        return Enumerable.Range(0, values.Length / Math.Max(width, 1)).Select(r => values.AsSpan(r * width, width).ToArray()).ToArray();
    }

    static int[] Longs(NdArray array) => array.ToDoubles().Select(v => (int)v).ToArray();
}
