namespace KerasPort.KerasHub;

/// <summary>
/// How <see cref="CausalLM"/> picks each next token from the logits, as keras-hub's samplers do
/// (keras_hub/src/samplers/): the logits are divided by <see cref="Temperature"/> and soft-maxed in float32
/// (sampler.py <c>compute_probabilities</c>), then <see cref="Greedy"/> takes the most likely token, <see cref="TopK"/>
/// samples among the <c>k</c> most likely and <see cref="TopP"/> among the smallest set whose probability reaches
/// <c>p</c>. Random samplers draw from a generator seeded by their seed (a fixed seed gives the same tokens every run
/// on the same device; the draws are not Keras's, whose random streams differ).
/// </summary>
public abstract record Sampler
{
    /// <summary>Divides the logits before the softmax (1 by default).</summary>
    public double Temperature { get; init; } = 1;

    /// <summary>keras-hub's <c>GreedySampler</c>: the argmax (the first of equal maxima).</summary>
    public static Sampler Greedy { get; } = new GreedySampler();

    /// <summary>keras-hub's <c>TopKSampler(k, seed)</c>.</summary>
    public static Sampler TopK(int k = 5, int? seed = null) => new TopKSampler(k, seed);

    /// <summary>keras-hub's <c>TopPSampler(p, k, seed)</c>: nucleus sampling, optionally among the <paramref name="k"/> most likely only.</summary>
    public static Sampler TopP(double p = 0.1, int? k = null, int? seed = null) => new TopPSampler(p, k, seed);

    /// <summary>The probabilities of the next token, <c>[batch, vocabulary]</c> float32 (sampler.py <c>compute_probabilities</c>).</summary>
    internal Tensor Probabilities(Tensor logits) => logits.to_type(ScalarType.Float32).div(Of(Temperature)).softmax(-1);

    /// <summary>A picker of next tokens (<c>[batch]</c> int64 from <c>[batch, vocabulary]</c> probabilities) for one generation, with its own random state.</summary>
    internal abstract Func<Tensor, Tensor> Start(Device device);

    /// <summary>A generator on <paramref name="device"/> seeded with <paramref name="seed"/>, or randomly.</summary>
    private protected static Generator Seeded(int? seed, Device device)
    {
        var generator = new Generator(0, device);
        if (seed is { } fixedSeed) generator.manual_seed(fixedSeed);
        else generator.seed();
        return generator;
    }

    /// <summary>random.categorical on the log of <paramref name="weights"/> (rows need not sum to 1), then the drawn column's entry of <paramref name="indices"/>.</summary>
    private protected static Tensor Draw(Tensor weights, Tensor indices, Generator generator)
    {
        using var scope = NewDisposeScope();
        var drawn = weights.multinomial(1, generator: generator);
        return indices.gather(-1, drawn).squeeze(-1).MoveToOuterDisposeScope();
    }
}

/// <summary>keras_hub/src/samplers/greedy_sampler.py.</summary>
internal sealed record GreedySampler : Sampler
{
    internal override Func<Tensor, Tensor> Start(Device device) => probabilities => probabilities.argmax(-1);
}

/// <summary>keras_hub/src/samplers/top_k_sampler.py: a draw among the <paramref name="K"/> most likely tokens, by their probabilities.</summary>
internal sealed record TopKSampler(int K, int? Seed) : Sampler
{
    internal override Func<Tensor, Tensor> Start(Device device)
    {
        if (K < 1) throw new ArgumentOutOfRangeException(nameof(K), K, "top-k sampling needs k >= 1");
        var generator = Seeded(Seed, device);
        return probabilities =>
        {
            var (values, indices) = probabilities.topk((int)Math.Min(K, probabilities.size(-1)), -1);
            using (values) using (indices) return Draw(values, indices, generator);
        };
    }
}

/// <summary>
/// keras_hub/src/samplers/top_p_sampler.py: the tokens sorted by probability (only the first <paramref name="K"/> when
/// given) are kept while the cumulative probability before them is at most <paramref name="P"/> (the first always),
/// and one is drawn among them by probability.
/// </summary>
internal sealed record TopPSampler(double P, int? K, int? Seed) : Sampler
{
    internal override Func<Tensor, Tensor> Start(Device device)
    {
        if (P is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(P), P, "top-p sampling needs 0 < p <= 1");
        var generator = Seeded(Seed, device);
        return probabilities =>
        {
            using var scope = NewDisposeScope();
            long cutoff = K is { } k ? Math.Min(k, probabilities.size(-1)) : probabilities.size(-1);
            var (sorted, indices) = probabilities.topk((int)cutoff, -1, largest: true, sorted: true);
            var keep = sorted.cumsum(-1).le(Of(P));
            var shifted = cat([ones_like(keep[.., ..1]), keep[.., ..^1]], -1);
            var kept = sorted.where(shifted, zeros_like(sorted));
            return Draw(kept, indices, generator).MoveToOuterDisposeScope();
        };
    }
}
