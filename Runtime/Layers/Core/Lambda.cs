namespace KerasPort.Runtime.Layers.Core;

/// <summary>
/// Keras <c>Lambda</c>: its config holds marshalled Python bytecode, which KerasPort never decodes or runs.
/// Building one fails with the way out: register a C# replacement for that layer name.
/// </summary>
public static class Lambda
{
    /// <summary>Always throws <see cref="UnsupportedLayerException"/> naming the layer.</summary>
    public static KerasLayer Refuse(LayerContext context) =>
        throw new UnsupportedLayerException("Lambda", context.Name,
            "Lambda layers hold marshalled Python bytecode, which KerasPort never executes. " +
            $"Supply a C# replacement with LayerRegistry.RegisterForLayer(\"{context.Name}\", context => new MyLayer(context))");
}
