namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>
/// Keras <c>StringLookup</c> (keras/src/layers/preprocessing/string_lookup.py): strings to vocabulary indices (or,
/// with <c>invert=True</c>, indices to strings) through an <see cref="IndexLookup"/> table; OOV token <c>[UNK]</c>, no
/// mask token by default. It runs on the host: strings never enter TorchSharp.
/// </summary>
public sealed class StringLookup : LookupTableLayer
{
    readonly IndexLookup table;

    /// <summary>Builds the layer.</summary>
    public StringLookup(LayerContext context, StringLookupSpec spec) : base(context) => table = new IndexLookup(context, spec.Lookup, integerKeys: false);

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var input = arguments.Input;
        var shape = input.Sizes();
        if (table.Invert)
        {
            var ids = IndexLookup.Integers(input);
            return [StringTensors.Create(table.InvertLookup(ids), shape, Device)];
        }
        return [table.Output(table.Lookup(StringTensors.Of(input, Name)), shape, Device)];
    }
}
