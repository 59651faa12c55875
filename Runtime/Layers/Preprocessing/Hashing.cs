using System.Globalization;

namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>
/// Keras <c>Hashing</c> (keras/src/layers/preprocessing/hashing.py): each value to one of <c>num_bins</c> bins by
/// TensorFlow's FarmHash64 (<c>to_hash_bucket_fast</c>) or, with a <c>salt</c>, SipHash-2-4 keyed by the salt
/// (<c>to_hash_bucket_strong</c>); integers hash as their decimal text, floats are truncated to integers first.
/// With a <c>mask_value</c>, masked values go to bin 0 and the rest to bins 1..num_bins-1.
/// </summary>
public sealed class Hashing(LayerContext context, HashingSpec spec) : KerasLayer(context)
{
    readonly Device device = context.Device;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var input = arguments.Input;
        var shape = input.Sizes();
        var (texts, masked) = StringTensors.TryGet(input, out var strings)
            ? (strings, strings.Select(s => spec.MaskValue is JsonValue m && m.TryGetValue<string>(out var text) && s == text).ToArray())
            : Integers(input);
        // hashing.py _hash_values_to_bins: a mask value takes bin 0 (unless there is only one bin).
        bool shifted = spec.MaskValue is not null && spec.NumBins > 1;
        long bins = shifted ? spec.NumBins - 1 : spec.NumBins;
        var ids = new long[texts.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            var bytes = TensorFlowHashes.Bytes(texts[i]);
            ulong hash = spec.Salt is null ? TensorFlowHashes.Fingerprint64(bytes) : TensorFlowHashes.SipHash24(spec.Salt[0], spec.Salt[1], bytes);
            long bin = (long)(hash % (ulong)bins);
            ids[i] = !shifted ? bin : masked[i] ? 0 : bin + 1;
        }
        if (spec.OutputMode == "int")
            return [TensorConversions.ToTensor(spec.Int32Output ? NdArray.Of(Array.ConvertAll(ids, v => (int)v), shape) : NdArray.Of(ids, shape), device)];
        return [TensorConversions.ToTensor(IndexLookup.Encode(ids, shape, spec.OutputMode, spec.NumBins), device)];
    }

    /// <summary>Numeric input as TensorFlow hashes it (<c>tf.as_string</c> of the int64 value), and which values equal the mask.</summary>
    (string[] Texts, bool[] Masked) Integers(Tensor input)
    {
        var values = IndexLookup.Integers(input);
        long? mask = spec.MaskValue is JsonValue m && m.TryGetValue<double>(out var number) ? (long)number : null;
        return (values.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray(), values.Select(v => v == mask).ToArray());
    }
}
