namespace KerasPort.Specs.Preprocessing;

/// <summary>Keras <c>IntegerLookup</c> (keras/src/layers/preprocessing/integer_lookup.py): OOV token <c>-1</c>, no mask by default.</summary>
/// <param name="Lookup">The lookup table's config.</param>
public sealed record IntegerLookupSpec(IndexLookupConfig Lookup) : LayerSpec, ILayerSpec<IntegerLookupSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["IntegerLookup"];

    /// <inheritdoc />
    public static IntegerLookupSpec Read(LayerReader layer) => new(IndexLookupConfig.Read(layer, defaultMask: null, defaultOov: "-1"));
}
