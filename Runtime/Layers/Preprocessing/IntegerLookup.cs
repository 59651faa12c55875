using System.Globalization;

namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>
/// Keras <c>IntegerLookup</c> (keras/src/layers/preprocessing/integer_lookup.py): integer values to vocabulary
/// indices (or back, with <c>invert=True</c>) through an <see cref="IndexLookup"/> table; OOV token <c>-1</c>, no mask
/// by default; several OOV indices split OOV values by <c>floormod</c>, or by FarmHash64 of their decimal text with
/// <c>oov_method='farmhash'</c>.
/// </summary>
public sealed class IntegerLookup : LookupTableLayer
{
    readonly IndexLookup table;

    /// <summary>Builds the layer.</summary>
    public IntegerLookup(LayerContext context, IntegerLookupSpec spec) : base(context) => table = new IndexLookup(context, spec.Lookup, integerKeys: true);

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var input = arguments.Input;
        var shape = input.Sizes();
        // Keras casts the input to int64 first (tf_utils.ensure_tensor), so floats truncate toward zero.
        var values = IndexLookup.Integers(input);
        if (table.Invert)
        {
            var tokens = table.InvertLookup(values).Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToArray();
            return [TensorConversions.ToTensor(NdArray.Of(tokens, shape), Device)];
        }
        var keys = Array.ConvertAll(values, v => v.ToString(CultureInfo.InvariantCulture));
        return [table.Output(table.Lookup(keys, values), shape, Device)];
    }
}
