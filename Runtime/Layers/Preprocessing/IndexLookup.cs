namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>
/// The table behind <see cref="StringLookup"/>, <see cref="IntegerLookup"/> and <see cref="TextVectorization"/>, as
/// Keras's <c>IndexLookup</c> builds and calls it (keras/src/layers/preprocessing/index_lookup.py): the mask token at
/// index 0 in <c>int</c> mode, then <c>num_oov_indices</c> OOV indices, then the vocabulary; OOV values spread over
/// several OOV indices by <c>floormod</c> (integers) or FarmHash64 / salted SipHash64 of their text; <c>invert</c> maps
/// indices back; the other output modes encode the indices over <c>vocabulary_size</c> (or <c>max_tokens</c> with
/// <c>pad_to_max_tokens</c>) bins. Keys are held as text: integers as their decimal digits, which is also the text
/// TensorFlow hashes for them (<c>tf.strings.as_string</c>).
/// </summary>
internal sealed class IndexLookup
{
    /// <summary>What a masked input becomes outside <c>int</c> mode: an index past every bin, so encoding drops it (TF's int64 max).</summary>
    const long Dropped = long.MaxValue;

    readonly Dictionary<string, long> indices = new(StringComparer.Ordinal);
    readonly string[] tokens;
    readonly string? maskToken;
    readonly string? oovToken;
    readonly int numOovIndices;
    readonly bool integerKeys;
    readonly bool hashIntegers;
    readonly ulong[]? salt;
    readonly int oovStart;
    readonly float[]? idfWeights;
    readonly string layer;

    /// <summary>Builds the table from the spec's <paramref name="config"/> (and <paramref name="context"/>'s stored <c>idf_weights</c>).</summary>
    public IndexLookup(LayerContext context, IndexLookupConfig config, bool integerKeys)
    {
        layer = context.Name;
        this.integerKeys = integerKeys;
        UnsupportedLayerException Refuse(string why) => new(context.ClassName, context.Name, why);
        OutputMode = config.OutputMode;
        Invert = config.Invert;
        numOovIndices = config.NumOovIndices;
        maskToken = config.MaskToken;
        oovToken = config.OovToken;
        MaxTokens = config.MaxTokens;
        PadToMaxTokens = config.PadToMaxTokens;
        hashIntegers = config.HashIntegers;
        salt = config.Salt;
        oovStart = maskToken is not null && OutputMode == "int" ? 1 : 0;
        int tokenStart = oovStart + numOovIndices;
        var vocabulary = config.Vocabulary;
        if (vocabulary.Length == 0) throw Refuse("its vocabulary is empty");
        // index_lookup.py set_vocabulary: a vocabulary that starts with exactly the special tokens keeps them in place.
        var special = Enumerable.Repeat(maskToken, oovStart).Concat(Enumerable.Repeat(oovToken, numOovIndices)).ToArray();
        bool foundSpecial = vocabulary.Length >= tokenStart && special.SequenceEqual(vocabulary[..tokenStart]);
        var own = foundSpecial ? vocabulary[tokenStart..] : vocabulary;
        for (int i = 0; i < own.Length; i++)
        {
            if (!indices.TryAdd(own[i], tokenStart + i)) throw Refuse($"its vocabulary repeats '{own[i]}'");
            if (own[i] == maskToken) throw Refuse($"its vocabulary holds the mask token '{maskToken}' past the special tokens");
            if (Invert && own[i] == oovToken) throw Refuse($"its vocabulary holds the OOV token '{oovToken}' past the special tokens");
        }
        tokens = [.. special.Select(t => t ?? ""), .. own];
        VocabularySize = tokens.Length;
        if (MaxTokens is { } cap && VocabularySize > cap) throw Refuse($"its vocabulary ({VocabularySize} with special tokens) exceeds max_tokens={cap}");
        if (PadToMaxTokens && MaxTokens is null) throw Refuse("pad_to_max_tokens=True needs max_tokens");
        if (OutputMode == "tf_idf") idfWeights = IdfWeights(context, config, foundSpecial, tokenStart, Refuse);
    }

    /// <summary>The normalized output mode: int, one_hot, multi_hot, count or tf_idf.</summary>
    public string OutputMode { get; }

    /// <summary>True when the layer maps indices back to tokens.</summary>
    public bool Invert { get; }

    /// <summary>The config's max_tokens.</summary>
    public long? MaxTokens { get; }

    /// <summary>The config's pad_to_max_tokens.</summary>
    public bool PadToMaxTokens { get; }

    /// <summary>Vocabulary size including the mask and OOV tokens (Keras's <c>vocabulary_size()</c>).</summary>
    public int VocabularySize { get; }

    /// <summary>Bins of the encoded outputs.</summary>
    public long Depth => PadToMaxTokens ? MaxTokens!.Value : VocabularySize;

    /// <summary>
    /// The tf_idf weights: the stored <c>idf_weights</c> variable when the file has one (Keras's load_own_variables wins),
    /// else the config's, front-padded with their mean for the special tokens and back-padded with zeros to max_tokens.
    /// </summary>
    static float[] IdfWeights(LayerContext context, IndexLookupConfig config, bool foundSpecial, int tokenStart, Func<string, UnsupportedLayerException> refuse)
    {
        if (context.Weights.FirstOrDefault(w => w.Name.EndsWith("idf_weights", StringComparison.Ordinal)) is { } stored)
            return stored.Value.ToFloats();
        var given = config.IdfWeights ?? throw refuse("output_mode 'tf_idf' needs idf_weights, and the model has none");
        var front = foundSpecial ? [] : Enumerable.Repeat(given.Average(), tokenStart);
        var weights = front.Concat(given).ToList();
        if (config.PadToMaxTokens && config.MaxTokens is { } max)
            weights.AddRange(Enumerable.Repeat(0f, Math.Max(0, (int)max - weights.Count)));
        return [.. weights];
    }

    /// <summary>Index of each key (<c>int</c> mode indices; <see cref="Dropped"/> for a mask outside int mode).</summary>
    public long[] Lookup(string[] keys, long[]? integers = null)
    {
        var result = new long[keys.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            var key = keys[i];
            if (maskToken is not null && key == maskToken) result[i] = OutputMode == "int" ? 0 : Dropped;
            else if (indices.TryGetValue(key, out var index)) result[i] = index;
            else result[i] = OovIndex(key, integers?[i]);
        }
        return result;
    }

    long OovIndex(string key, long? integer)
    {
        if (numOovIndices == 0)
            throw new KerasPortException($"layer '{layer}': '{key}' is not in the vocabulary and num_oov_indices=0 (Keras fails the same way)");
        if (numOovIndices == 1) return oovStart;
        // index_lookup.py _lookup_dense: integers use floormod unless oov_method='farmhash'; strings are always hashed.
        if (integerKeys && !hashIntegers && integer is { } value)
            return oovStart + ((value % numOovIndices) + numOovIndices) % numOovIndices;
        var bytes = TensorFlowHashes.Bytes(key);
        ulong hash = salt is null ? TensorFlowHashes.Fingerprint64(bytes) : TensorFlowHashes.SipHash24(salt[0], salt[1], bytes);
        return oovStart + (long)(hash % (ulong)numOovIndices);
    }

    /// <summary>A numeric tensor's values as int64, as Keras's <c>ensure_tensor(..., 'int64')</c> casts them (floats truncate).</summary>
    public static long[] Integers(Tensor input) => TensorConversions.ToNdArray(input).Data switch
    {
        long[] l => l,
        int[] i => Array.ConvertAll(i, v => (long)v),
        float[] f => Array.ConvertAll(f, v => (long)v),
        double[] d => Array.ConvertAll(d, v => (long)v),
        bool[] b => Array.ConvertAll(b, v => v ? 1L : 0L),
        _ => throw new KerasPortException("a string tensor has no integer values"),
    };

    /// <summary>Token of each index (<c>invert=True</c>): the mask token at 0 when there is one, the OOV token for unknown indices.</summary>
    public string[] InvertLookup(long[] ids) => Array.ConvertAll(ids, id =>
        maskToken is not null && id == 0 ? maskToken
        : id >= oovStart + numOovIndices && id < tokens.Length ? tokens[id]
        : oovToken ?? "");

    /// <summary>
    /// <paramref name="ids"/> (of <paramref name="shape"/>) as the layer outputs them: int64 indices in <c>int</c> mode,
    /// else float32 bins (Keras's <c>encode_categorical_inputs</c>, TF's bincount dropping indices past the last bin).
    /// </summary>
    public Tensor Output(long[] ids, long[] shape, Device device)
    {
        if (OutputMode == "int") return TensorConversions.ToTensor(NdArray.Of(ids, shape), device);
        var encoded = Encode(ids, shape, OutputMode == "tf_idf" ? "count" : OutputMode, Depth);
        if (idfWeights is not null)
            for (int i = 0; i < encoded.Data.Length; i++) ((float[])encoded.Data)[i] *= idfWeights[i % idfWeights.Length];
        return TensorConversions.ToTensor(encoded, device);
    }

    /// <summary>
    /// Keras's <c>encode_categorical_inputs</c> on host arrays: <c>one_hot</c> adds a bin axis (replacing a last axis
    /// of 1), <c>multi_hot</c> and <c>count</c> reduce the last axis (a scalar counts as one sample). Indices outside
    /// <c>[0, depth)</c> set no bin, as TF's one_hot and bincount.
    /// </summary>
    public static NdArray Encode(long[] ids, long[] shape, string mode, long depth)
    {
        long[] outShape;
        int group;
        if (mode == "one_hot")
        {
            outShape = [.. (shape.Length > 1 && shape[^1] == 1 ? shape[..^1] : shape), depth];
            group = 1;
        }
        else
        {
            outShape = shape.Length == 0 ? [depth] : [.. shape[..^1], depth];
            group = shape.Length == 0 ? 1 : (int)shape[^1];
        }
        var data = new float[outShape.Aggregate(1L, (a, b) => a * b)];
        for (int i = 0; i < ids.Length; i++)
        {
            if (ids[i] < 0 || ids[i] >= depth) continue;
            long at = i / Math.Max(group, 1) * depth + ids[i];
            data[at] = mode == "count" ? data[at] + 1 : 1;
        }
        return NdArray.Of(data, outShape);
    }
}
