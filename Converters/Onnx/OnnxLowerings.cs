using KerasPort.Converters.Onnx.Lowerings;

namespace KerasPort.Converters.Onnx;

/// <summary>The table from Keras class name (<c>ops.</c> + class for raw <c>keras.ops</c> nodes) to ONNX lowering, by family.</summary>
internal static class OnnxLowerings
{
    /// <summary>Prefix of the keys of raw <c>keras.ops</c> nodes, which share class names with layers.</summary>
    public const string OpPrefix = "ops.";

    /// <summary>Every lowering.</summary>
    public static readonly IReadOnlyDictionary<string, OnnxLowering> Table = Build();

    static Dictionary<string, OnnxLowering> Build()
    {
        var table = new Dictionary<string, OnnxLowering>(StringComparer.Ordinal);
        CoreLowerings.Register(table);
        AdvancedActivationLowerings.Register(table);
        RegularizationLowerings.Register(table);
        ConvolutionLowerings.Register(table);
        PoolingLowerings.Register(table);
        NormalizationLowerings.Register(table);
        MergingLowerings.Register(table);
        ReshapingLowerings.Register(table);
        PreprocessingLowerings.Register(table);
        RecurrentLowerings.Register(table);
        AttentionLowerings.Register(table);
        OpsLowerings.Register(table);
        KerasHubLowerings.Register(table);
        return table;
    }

    /// <summary>Adds <paramref name="lower"/> under every class <typeparamref name="TSpec"/> describes; the spec is read from the call's layer.</summary>
    public static void Add<TSpec>(IDictionary<string, OnnxLowering> table, Func<OnnxLayerCall, TSpec, OnnxLowered> lower) where TSpec : LayerSpec, ILayerSpec<TSpec>
    {
        foreach (var name in TSpec.ClassNames) table[name] = call => lower(call, TSpec.Read(call));
    }
}
