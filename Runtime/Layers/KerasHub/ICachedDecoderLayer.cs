namespace KerasPort.Runtime.Layers.KerasHub;

/// <summary>
/// A KerasHub decoder layer that also runs on a key/value cache, as keras-hub's decoder blocks do when a causal LM's
/// <c>call_with_cache</c> passes them <c>cache</c> and <c>cache_update_index</c> (e.g.
/// keras_hub/src/models/gemma/gemma_causal_lm.py): the layer attends causally to every cached position up to its
/// own, and returns its output with the cache updated at the positions it was given. The generation API walks a
/// causal LM's graph and calls such layers this way, every other layer as usual.
/// </summary>
public interface ICachedDecoderLayer
{
    /// <summary>An empty (zero) cache for <paramref name="batch"/> sequences of <paramref name="maxLength"/> positions.</summary>
    Tensor EmptyCache(long batch, long maxLength, Device device);

    /// <summary>
    /// Runs the layer on <paramref name="x"/> (<c>[batch, steps, hidden]</c>, positions <paramref name="cacheUpdateIndex"/>
    /// onwards) against <paramref name="cache"/>, with a causal mask only (keras-hub passes no padding mask here).
    /// Returns the output and the updated cache (a new tensor; <paramref name="cache"/> is not modified).
    /// </summary>
    (Tensor Output, Tensor Cache) CallWithCache(Tensor x, Tensor cache, long cacheUpdateIndex);
}
