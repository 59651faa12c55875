namespace KerasPort.Specs.Ops;

/// <summary>
/// A raw <c>keras.ops</c> call that Keras 3 writes into a functional config as its own node (module
/// <c>keras.src.ops.*</c>, keras/src/ops/operation.py): e.g. <c>x * 2.0</c> becomes a <c>Multiply</c> op with an inline
/// constant, which is not the <c>Multiply</c> layer. Its config holds the op's keyword settings, under the names of the
/// op class's <c>__init__</c>; its operands are the node's call arguments, not config. Op specs are registered under
/// <see cref="Prefix"/> + class (<see cref="LayerDescription.RegistryKey"/>).
/// </summary>
public abstract record OpSpec : LayerSpec
{
    /// <summary>The prefix of the registry keys of op nodes, whose class names repeat layers' (the <c>Add</c> op is not the <c>Add</c> layer).</summary>
    public const string Prefix = "ops.";
}
