namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>
/// Keras <c>HashedCrossing</c> (keras/src/layers/preprocessing/hashed_crossing.py): crosses two or more features of
/// shape <c>()</c>, <c>(batch,)</c> or <c>(batch, 1)</c> into <c>num_bins</c> bins as <c>tf.sparse.cross_hashed</c>
/// does (tensorflow/core/kernels/sparse_cross_op.cc <c>HashCrosser</c>): starting from the default hash key
/// <c>0xDECAFCAFFE</c> (tensorflow/python/ops/sparse_ops.py), each feature's hash is chained with
/// <c>FingerprintCat64</c>, a string hashing by FarmHash64 and an integer by its own int64 value; then
/// <c>% num_bins</c>. Outputs int64 bins, or float32 one-hot vectors.
/// </summary>
public sealed class HashedCrossing(LayerContext context, HashedCrossingSpec spec) : KerasLayer(context)
{
    const ulong DefaultHashKey = 0xDECAFCAFFEUL;

    readonly Device device = context.Device;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var inputs = arguments.Inputs;
        if (inputs.Count < 2) throw new KerasPortException($"layer '{Name}': HashedCrossing crosses at least two inputs, got {inputs.Count}");
        var shape = inputs[0].Sizes();
        if (inputs.Any(i => !i.Sizes().SequenceEqual(shape)) || shape.Length > 2 || (shape.Length == 2 && shape[1] != 1))
            throw new KerasPortException($"layer '{Name}': HashedCrossing inputs must share one shape (), (batch,) or (batch, 1); got {string.Join(", ", inputs.Select(i => $"({string.Join(", ", i.Sizes())})"))}");
        var features = inputs.Select(FeatureHashes).ToList();
        var bins = new long[features[0].Length];
        for (int row = 0; row < bins.Length; row++)
        {
            ulong hashed = DefaultHashKey;
            foreach (var feature in features) hashed = TensorFlowHashes.FingerprintCat64(hashed, feature[row]);
            bins[row] = (long)(hashed % (ulong)spec.NumBins);
        }
        return [spec.OutputMode == "int"
            ? TensorConversions.ToTensor(NdArray.Of(bins, shape), device)
            : TensorConversions.ToTensor(IndexLookup.Encode(bins, shape, "one_hot", spec.NumBins), device)];
    }

    /// <summary>What HashCrosser feeds FingerprintCat64 for each element: Fingerprint64 of a string, the int64 value itself.</summary>
    static ulong[] FeatureHashes(Tensor input) => StringTensors.TryGet(input, out var texts)
        ? texts.Select(t => TensorFlowHashes.Fingerprint64(TensorFlowHashes.Bytes(t))).ToArray()
        : Array.ConvertAll(IndexLookup.Integers(input), v => unchecked((ulong)v));
}
