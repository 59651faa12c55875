namespace KerasPort.Tests.Parity;

/// <summary>
/// Every layer class that real Keras 3.15.1 exports from <c>keras.layers</c> has a registry entry: a runtime class, or
/// a refusal by design for the layers that run another file or foreign code (<c>TFSMLayer</c>, <c>JaxLayer</c>,
/// <c>FlaxLayer</c>, <c>TorchModuleWrapper</c>: Runtime/Layers/Core/ForeignCodeLayer.cs). The list comes from Keras
/// itself, so a layer a newer Keras adds shows up here.
/// </summary>
[Trait("Category", RealKeras.Category)]
public sealed class KerasLayersCoverageTests
{
    /// <summary>Keras's abstract bases: never written to a file as themselves.</summary>
    static readonly string[] AbstractBases = ["Layer", "Wrapper"];

    [SkippableFact]
    public void EveryKerasLayersClassHasARuntimeClassOrIsRefusedByDesign()
    {
        const string script = """
            import inspect, keras
            print("\n".join(sorted(n for n, o in vars(keras.layers).items() if inspect.isclass(o) and issubclass(o, keras.layers.Layer))))
            """;
        var (exitCode, output) = RealKeras.Run("-c", script);
        Assert.True(exitCode == 0, output);
        var exported = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        Assert.Contains("Dense", exported);
        var registry = LayerRegistry.CreateDefault();
        var missing = exported.Where(name => !registry.Supports(name) && !AbstractBases.Contains(name)).ToList();
        Assert.True(missing.Count == 0, "keras.layers classes without a runtime class: " + string.Join(", ", missing));
    }
}
