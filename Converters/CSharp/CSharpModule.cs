namespace KerasPort.Converters.CSharp;

/// <summary>One entry of a TorchSharp module's <c>state_dict</c>: its dotted key and its value in torch layout.</summary>
/// <param name="Key">The key, e.g. <c>conv1.weight</c> or <c>lstm.weight_ih_l0</c>.</param>
/// <param name="Value">The tensor's values (float32) and shape as the torch module holds them.</param>
public sealed record TorchStateEntry(string Key, NdArray Value);

/// <summary>
/// What <see cref="CSharpEmitter"/> produces: the source of one C# file defining a sealed TorchSharp module that computes
/// what the Keras model computes, and the weights that module's <c>load</c> expects (its <c>state_dict</c>).
/// </summary>
/// <param name="ClassName">The module's class name.</param>
/// <param name="Namespace">The namespace the class is declared in.</param>
/// <param name="Source">The C# source text.</param>
/// <param name="State">Every parameter and buffer of the module, by <c>state_dict</c> key.</param>
public sealed record CSharpModule(string ClassName, string Namespace, string Source, IReadOnlyList<TorchStateEntry> State);
