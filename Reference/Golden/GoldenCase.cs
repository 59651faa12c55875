using System.Text.Json.Nodes;
using KerasPort.Converters;
using KerasPort.Runtime;

namespace KerasPort.Reference.Golden;

/// <summary>Elementwise tolerance: <c>|a - b| &lt;= Atol + Rtol * |b|</c> (numpy <c>allclose</c>).</summary>
public sealed record Tolerance(double Atol, double Rtol)
{
    /// <summary>The golden README's default.</summary>
    public static readonly Tolerance Default = new(1e-5, 1e-4);
}

/// <summary>One layer entry of a case: where its outputs are stored and its Keras parameter count.</summary>
public sealed record GoldenLayer(string Name, string ClassName, string Kind, IReadOnlyList<string> OutputKeys, long? Params);

/// <summary>
/// One golden case made by real Keras (a folder with <c>case.json</c>, <c>io.npz</c> and model files; see
/// ../shared/golden/README.md): what to feed, which outputs to compare, and in which file formats.
/// </summary>
public sealed record GoldenCase
{
    /// <summary>The case folder.</summary>
    public required string Directory { get; init; }

    /// <summary><c>family/case</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Model input keys in <c>io.npz</c>, in model-input order.</summary>
    public required IReadOnlyList<string> InputKeys { get; init; }

    /// <summary>Model output keys (<c>final/k</c>), in output order.</summary>
    public required IReadOnlyList<string> OutputKeys { get; init; }

    /// <summary>Layer (and op) entries.</summary>
    public required IReadOnlyList<GoldenLayer> Layers { get; init; }

    /// <summary>Comparison tolerance.</summary>
    public required Tolerance Tolerance { get; init; }

    /// <summary>Keras's parameter totals for the whole model.</summary>
    public ParamCounts? Params { get; init; }

    /// <summary>Files present in the case.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>Files Keras could not write or reload, with the reason.</summary>
    public required IReadOnlyDictionary<string, string> Omitted { get; init; }

    /// <summary>Output keys left out of <c>io.npz</c> (size budget).</summary>
    public required IReadOnlySet<string> OmittedOutputs { get; init; }

    /// <summary>Path of a file of the case.</summary>
    public string PathOf(string file) => System.IO.Path.Combine(Directory, file);

    /// <summary>Reads <c>case.json</c> in <paramref name="directory"/>.</summary>
    public static GoldenCase Load(string directory)
    {
        var path = System.IO.Path.Combine(directory, "case.json");
        if (!File.Exists(path)) throw new ModelFileNotFoundException(path);
        JsonNode root;
        try { root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new FormatException("empty"); }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException)
        {
            throw new ModelFileException(path, null, $"invalid case.json: {e.Message}", e);
        }
        var family = (string?)root["family"] ?? "";
        var name = (string?)root["case"] ?? System.IO.Path.GetFileName(directory);
        var tolerance = root["tolerance"] is JsonObject t
            ? new Tolerance((double?)t["atol"] ?? Tolerance.Default.Atol, (double?)t["rtol"] ?? Tolerance.Default.Rtol)
            : Tolerance.Default;
        return new GoldenCase
        {
            Directory = directory,
            Id = family.Length > 0 ? $"{family}/{name}" : name,
            InputKeys = (root["inputs"] as JsonArray ?? []).Select(i => (string)i!["key"]!).ToList(),
            OutputKeys = (root["outputs"] as JsonArray ?? []).Select(o => (string)o!["key"]!).ToList(),
            Layers = (root["layers"] as JsonArray ?? []).Select(l => new GoldenLayer(
                (string)l!["name"]!, (string?)l["class_name"] ?? "", (string?)l["kind"] ?? "layer",
                (l["output_keys"] as JsonArray ?? []).Select(k => (string)k!).ToList(), (long?)l["params"])).ToList(),
            Tolerance = tolerance,
            Params = root["params"] is JsonObject p
                ? new ParamCounts((long?)p["total"] ?? 0, (long?)p["trainable"] ?? 0, (long?)p["non_trainable"] ?? 0)
                : null,
            Files = (root["files"] as JsonArray ?? []).Select(f => (string)f!).ToList(),
            Omitted = (root["omitted"] as JsonObject ?? []).ToDictionary(kv => kv.Key, kv => kv.Value?.ToString() ?? ""),
            OmittedOutputs = (root["omitted_outputs"] as JsonArray ?? []).Select(k => (string)k!).ToHashSet(),
        };
    }

    /// <summary>Every case folder under <paramref name="root"/> (the folder itself if it is a case), sorted by path.</summary>
    public static IReadOnlyList<string> FindCaseDirectories(string root)
    {
        if (!System.IO.Directory.Exists(root)) throw new ModelFileNotFoundException(root);
        return System.IO.Directory.EnumerateFiles(root, "case.json", SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetDirectoryName(f)!)
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
