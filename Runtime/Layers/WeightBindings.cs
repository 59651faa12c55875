namespace KerasPort.Runtime.Layers;

/// <summary>
/// Live tensors standing in for a model's weight arrays while layers are built for training: a layer built with a
/// <see cref="LayerContext"/> that carries bindings receives (an alias of) the bound tensor from
/// <see cref="LayerContext.Weight"/> instead of a fresh copy of the array, so whatever the layer derives from its
/// weights stays connected to them in torch's autograd graph and gradients reach the bound tensors.
/// </summary>
/// <remarks>
/// Arrays are matched by reference (the <see cref="NdArray"/> objects of the description the layers are built from),
/// which survives the renaming of nested weights (<c>cell/vars/0</c> becomes <c>vars/0</c> for the cell). While
/// building, each bound weight also records the role its layer asked for (<c>kernel</c>, <c>bias</c>, ...) and that
/// layer's config, which is where Keras keeps the weight's regularizer and constraint.
/// Bindings are used by one training run at a time; they are not thread-safe.
/// </remarks>
public sealed class WeightBindings
{
    readonly Dictionary<NdArray, Tensor> tensors = new(ReferenceEqualityComparer.Instance);
    readonly Dictionary<NdArray, (string Role, JsonObject Config)> roles = new(ReferenceEqualityComparer.Instance);

    /// <summary>Binds <paramref name="array"/> to <paramref name="variable"/> (which the caller keeps owning).</summary>
    public void Bind(NdArray array, Tensor variable) => tensors[array] = variable;

    /// <summary>The tensor bound to <paramref name="array"/>, if any.</summary>
    public bool TryGet(NdArray array, out Tensor variable) => tensors.TryGetValue(array, out variable!);

    /// <summary>Records the role a layer asked <paramref name="array"/> for, with the config of that layer.</summary>
    internal void NoteRole(NdArray array, string role, JsonObject config) => roles[array] = (role, config);

    /// <summary>
    /// The role (<c>kernel</c>, <c>recurrent_kernel</c>, <c>gamma</c>, ...) and layer config that
    /// <paramref name="array"/> was last built with; null if no layer has asked for it yet.
    /// </summary>
    public (string Role, JsonObject Config)? RoleOf(NdArray array) => roles.TryGetValue(array, out var role) ? role : null;
}
