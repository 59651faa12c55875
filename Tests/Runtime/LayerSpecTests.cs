using System.Text.Json.Nodes;
using KerasPort.Converters.Keras;
using KerasPort.Specs;
using KerasPort.Specs.Regularization;

namespace KerasPort.Tests.Runtime;

/// <summary>
/// Every registered layer class has a spec (Converters/Specs), except the classes Tests/spec-ledger.txt lists as
/// awaiting one; a listed class that has gained a spec must leave the ledger.
/// </summary>
public sealed class LayerSpecTests
{
    static readonly HashSet<string> Awaiting = TestPaths.LedgerEntries("spec-ledger.txt", 1).Select(p => p[0]).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void EveryRegisteredClassHasASpecOrIsLedgered()
    {
        var missing = LayerRegistry.CreateDefault().ClassNames.Where(n => !LayerSpecs.Has(n) && !Awaiting.Contains(n)).ToList();
        Assert.True(missing.Count == 0, $"registered classes without a spec (write one in Converters/Specs, see README 'Adding a layer'): {string.Join(", ", missing)}");
    }

    [Fact]
    public void LedgeredClassesStillLackASpec()
    {
        var registered = LayerRegistry.CreateDefault().ClassNames.ToHashSet(StringComparer.Ordinal);
        var stale = Awaiting.Where(n => LayerSpecs.Has(n) || !registered.Contains(n)).ToList();
        Assert.True(stale.Count == 0, $"spec-ledger.txt lists classes that have a spec now or are not registered; remove them: {string.Join(", ", stale)}");
    }

    [Fact]
    public void BadConfigValueIsATypedErrorNamingLayerAndKey()
    {
        var layer = new LayerDescription { Name = "drop", ClassName = "Dropout", Config = new JsonObject { ["rate"] = 1.5 } };
        var error = Assert.Throws<LayerConfigException>(() => DropoutSpec.Read(LayerReader.Of(layer, 3)));
        Assert.Equal(("drop", "rate"), (error.LayerName, error.Key));
        Assert.Contains("'drop' (Dropout), config 'rate'", error.Message);
    }

    [Fact]
    public void UserLayerRegisteredWithItsSpecGetsTheSpec()
    {
        DropoutSpec? seen = null;
        var registry = LayerRegistry.CreateDefault().Register<DropoutSpec>((context, spec) =>
        {
            seen = spec;
            return new KerasPort.Runtime.Layers.Regularization.Dropout(context, spec);
        });
        var layer = new LayerDescription { Name = "drop", ClassName = "SpatialDropout2D", Config = new JsonObject { ["rate"] = 0.25, ["data_format"] = "channels_first" } };
        registry.Create(new KerasPort.Runtime.Layers.LayerContext(layer, KerasGeneration.Keras3, TorchSharp.torch.CPU, registry));
        Assert.Equal(new DropoutSpec(0.25, null, Spatial: true, ChannelsFirst: true), seen);
    }
}
