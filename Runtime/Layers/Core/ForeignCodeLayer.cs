namespace KerasPort.Runtime.Layers.Core;

/// <summary>
/// Keras layers whose computation is another framework's code, which their config does not describe as layers:
/// <c>TFSMLayer</c>, <c>JaxLayer</c>, <c>FlaxLayer</c> and <c>TorchModuleWrapper</c>. Building one fails with the reason
/// and the way out (a C# replacement for that layer name), as for <see cref="Lambda"/>.
/// </summary>
public static class ForeignCodeLayer
{
    static readonly Dictionary<string, string> Reasons = new(StringComparer.Ordinal)
    {
        ["TFSMLayer"] = "it calls an endpoint of a TensorFlow SavedModel that its config names by path (keras/src/export/tfsm_layer.py), " +
            "and KerasPort runs no TensorFlow graphs (load a Keras SavedModel with KerasPort directly)",
        ["JaxLayer"] = "its computation is a Python JAX function serialized as Python bytecode (keras/src/utils/jax_layer.py), which KerasPort never executes",
        ["FlaxLayer"] = "its computation is a Flax module's Python code (keras/src/utils/jax_layer.py), which KerasPort never executes",
        ["TorchModuleWrapper"] = "its torch.nn.Module is a pickle in its config (torch.save, keras/src/utils/torch_utils.py), which KerasPort never unpickles",
    };

    /// <summary>Always throws <see cref="UnsupportedLayerException"/> naming the layer and why.</summary>
    public static KerasLayer Refuse(LayerContext context) =>
        throw new UnsupportedLayerException(context.ClassName, context.Name,
            $"{Reasons[context.ClassName]}. Supply a C# replacement with LayerRegistry.RegisterForLayer(\"{context.Name}\", context => new MyLayer(context))");
}
