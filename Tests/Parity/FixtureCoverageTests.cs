using System.Text.Json.Nodes;
using KerasPort.Runtime.Layers;
using KerasPort.Specs.Ops;

namespace KerasPort.Tests.Parity;

/// <summary>
/// A fresh clone tests every layer KerasPort knows against real Keras: each key of the default layer registry appears in
/// a bundled golden case (Fixtures/golden, with weights and io.npz, run by <see cref="GoldenParityTests"/>), or is listed
/// with its reason in <c>Tests/fixture-ledger.txt</c>.
/// </summary>
public sealed class FixtureCoverageTests
{
    static readonly string Fixtures = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden");

    /// <summary>The ledger: registry key → why no bundled case covers it.</summary>
    static Dictionary<string, string> Ledger()
    {
        var ledger = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parts in TestPaths.LedgerEntries("fixture-ledger.txt", 2))
        {
            if (parts is not [var keys, var reason]) throw new FormatException($"fixture ledger: '{string.Join(' ', parts)}' has no reason");
            foreach (var key in keys.Split(',')) ledger.Add(key, reason);
        }
        return ledger;
    }

    /// <summary>The registry keys of every layer and keras.ops node in the bundled cases' configs, nested ones included.</summary>
    static HashSet<string> Covered()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directory in Directory.GetDirectories(Fixtures, "*", SearchOption.AllDirectories))
            if (File.Exists(Path.Combine(directory, "io.npz")))
                Collect(JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "model.json"))), keys);
        return keys;
    }

    /// <summary>Keras 3 configs name each object's module: a layer is under keras.layers, an op node under keras.ops.</summary>
    static void Collect(JsonNode? node, HashSet<string> keys)
    {
        if (node is JsonObject obj)
        {
            var module = obj["module"] is JsonValue m && m.TryGetValue(out string? text) ? text : "";
            if (obj["class_name"] is JsonValue c && c.TryGetValue(out string? name))
            {
                if (module.StartsWith("keras.src.ops", StringComparison.Ordinal) || module.StartsWith("keras.ops", StringComparison.Ordinal))
                    keys.Add(OpSpec.Prefix + name);
                else if (module.StartsWith("keras.layers", StringComparison.Ordinal) || module.StartsWith("keras.src.layers", StringComparison.Ordinal))
                    keys.Add(name);
            }
            foreach (var (_, value) in obj) Collect(value, keys);
        }
        else if (node is JsonArray array)
            foreach (var item in array) Collect(item, keys);
    }

    [Fact]
    public void EveryRegisteredLayerHasABundledCaseOrALedgerReason()
    {
        var (covered, ledger) = (Covered(), Ledger());
        var missing = LayerRegistry.CreateDefault().ClassNames.Where(k => !covered.Contains(k) && !ledger.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0,
            $"registered layers with no case in Fixtures/golden: {string.Join(", ", missing)}. Run `python3 Fixtures/add-cases.py` " +
            "(it adds the smallest passing golden cases that cover them) or list them with a reason in Tests/fixture-ledger.txt");
    }

    [Fact]
    public void TheLedgerListsOnlyRegisteredLayersWithoutABundledCase()
    {
        var (covered, registered) = (Covered(), LayerRegistry.CreateDefault().ClassNames.ToHashSet());
        var ledger = Ledger();
        Assert.Empty(ledger.Keys.Where(covered.Contains).Select(k => $"{k} is covered by a bundled case: remove it from Tests/fixture-ledger.txt"));
        Assert.Empty(ledger.Keys.Where(k => !registered.Contains(k)).Select(k => $"{k} is not a registry key: remove it from Tests/fixture-ledger.txt"));
    }
}
