using System.Globalization;

namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>
/// Keras <c>Hashing</c> (keras/src/layers/preprocessing/hashing.py): each value to one of <c>num_bins</c> bins by
/// TensorFlow's FarmHash64 (<c>to_hash_bucket_fast</c>) or, with a <c>salt</c>, SipHash-2-4 keyed by the salt
/// (<c>to_hash_bucket_strong</c>); integers hash as their decimal text, floats are truncated to integers first.
/// With a <c>mask_value</c>, masked values go to bin 0 and the rest to bins 1..num_bins-1.
/// </summary>
public sealed class Hashing : KerasLayer
{
    readonly long numBins;
    readonly JsonNode? maskValue;
    readonly ulong[]? salt;
    readonly string outputMode;
    readonly bool int32Output;
    readonly Device device;

    /// <summary>Builds the layer.</summary>
    public Hashing(LayerContext context, HashingSpec spec) : base(context)
    {
        numBins = spec.NumBins;
        maskValue = spec.MaskValue;
        salt = spec.Salt;
        outputMode = spec.OutputMode;
        int32Output = spec.Int32Output;
        device = context.Device;
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var input = arguments.Input;
        var shape = input.Sizes();
        var (texts, masked) = StringTensors.TryGet(input, out var strings)
            ? (strings, strings.Select(s => maskValue is JsonValue m && m.TryGetValue<string>(out var text) && s == text).ToArray())
            : Integers(input);
        // hashing.py _hash_values_to_bins: a mask value takes bin 0 (unless there is only one bin).
        bool shifted = maskValue is not null && numBins > 1;
        long bins = shifted ? numBins - 1 : numBins;
        var ids = new long[texts.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            var bytes = TensorFlowHashes.Bytes(texts[i]);
            ulong hash = salt is null ? TensorFlowHashes.Fingerprint64(bytes) : TensorFlowHashes.SipHash24(salt[0], salt[1], bytes);
            long bin = (long)(hash % (ulong)bins);
            ids[i] = !shifted ? bin : masked[i] ? 0 : bin + 1;
        }
        if (outputMode == "int")
            return [TensorConversions.ToTensor(int32Output ? NdArray.Of(Array.ConvertAll(ids, v => (int)v), shape) : NdArray.Of(ids, shape), device)];
        return [TensorConversions.ToTensor(IndexLookup.Encode(ids, shape, outputMode, numBins), device)];
    }

    /// <summary>Numeric input as TensorFlow hashes it (<c>tf.as_string</c> of the int64 value), and which values equal the mask.</summary>
    (string[] Texts, bool[] Masked) Integers(Tensor input)
    {
        var values = IndexLookup.Integers(input);
        long? mask = maskValue is JsonValue m && m.TryGetValue<double>(out var number) ? (long)number : null;
        return (values.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray(), values.Select(v => v == mask).ToArray());
    }
}
