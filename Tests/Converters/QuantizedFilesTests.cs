using System.Text.Json.Nodes;

namespace KerasPort.Tests.Converters;

/// <summary>
/// <c>convert --to keras</c> and <c>--to h5</c> keep a quantized layer's variables as Keras wrote them: the element
/// types and shapes of case.json <c>quantized_layers</c> (measured by Keras 3.15.1), int8 kernels included. Real Keras
/// reloading the converted files is Tests/Reload's job.
/// </summary>
public sealed class QuantizedFilesTests
{
    public static TheoryData<string, string> Cases() => SharedData.Rows(TestPaths.Golden, golden =>
        from dir in Directory.GetDirectories(Path.Combine(golden, "keras3"), "quantized_*").Order(StringComparer.Ordinal)
        from target in new[] { "keras", "h5" }
        select ("keras3/" + Path.GetFileName(dir), target));

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void ConvertedFilesKeepTheVariablesKerasWrote(string caseDir, string target)
    {
        var dir = SharedData.GoldenPath(caseDir);
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "case.json")))!["quantized_layers"]!.AsObject();
        using var scratch = new ConvertTests.Scratch();
        var output = Path.Combine(scratch.Dir, "out." + target);
        ModelConverter.Write(KerasModelReader.Load(Path.Combine(dir, "model.keras")), target == "keras" ? ConversionTarget.Keras : ConversionTarget.LegacyHdf5, output, force: false);
        var layers = KerasModelReader.Load(output).Layers.ToDictionary(l => l.Name);
        foreach (var (name, record) in expected)
        {
            // A .keras file numbers the variables (vars/0, ...): element types and shapes are what both files share.
            var want = record!["variables"]!.AsArray().Select(v => $"{v![1]} ({string.Join(", ", v[2]!.AsArray())})").Order(StringComparer.Ordinal);
            var got = layers[name].Weights.Select(w => $"{w.Value.DType.ToString().ToLowerInvariant()} ({string.Join(", ", w.Value.Shape)})").Order(StringComparer.Ordinal);
            Assert.Equal(want, got);
        }
    }
}
