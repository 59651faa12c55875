using System.Runtime.CompilerServices;
using System.Threading.Channels;
using KerasPort.Runtime;
using KerasPort.Runtime.Graph;
using KerasPort.Runtime.Layers;
using KerasPort.Runtime.Layers.KerasHub;

namespace KerasPort.KerasHub;

/// <summary>
/// Text generation with a loaded KerasHub causal LM task (<c>GemmaCausalLM</c>, <c>LlamaCausalLM</c>, ...: a model with
/// <c>token_ids</c> (and <c>padding_mask</c>) inputs whose first output is the logits, and whose decoder layers are
/// <see cref="ICachedDecoderLayer"/>s), as keras-hub's <c>CausalLM.generate</c> does it (keras_hub/src/models/causal_lm.py,
/// gemma_causal_lm.py <c>generate_step</c>, samplers/sampler.py): one pass over the whole padded prompt fills each
/// decoder's key/value cache, then each step feeds one token through the cached layers and samples the next.
/// </summary>
/// <remarks>
/// Semantics, exactly as keras-hub's: generation starts at the shortest prompt's length; a row whose prompt is longer
/// keeps its prompt tokens there (the sampler only writes where the prompt's padding mask is false); the attention is
/// causal only during generation (padded prompt positions are overwritten before they are attended to); with stop
/// tokens, the loop ends once every row has produced one after its prompt, rows that stopped keep being extended until
/// then, and the returned padding mask is false after each row's first generated stop token. Generated tokens stream to
/// the caller as they come (<see cref="GenerateAsync(CausalLMInputs, GenerationOptions?, CancellationToken)"/>), except a
/// row's tokens after its stop token. Thread-safe: each generation has its own cache and random state.
/// </remarks>
public sealed class CausalLM : IDisposable
{
    const string TokenIds = "token_ids";
    const string PaddingMask = "padding_mask";

    readonly bool ownsModel;
    readonly IReadOnlyList<string> inputNames;
    readonly Lazy<ICausalLMPreprocessor?> preprocessor;

    /// <summary>
    /// Generation with <paramref name="model"/> (which the caller keeps and disposes); string prompts go through
    /// <paramref name="preprocessor"/>, or when it is null through the preprocessor saved with the model, if any.
    /// </summary>
    public CausalLM(KerasModel model, ICausalLMPreprocessor? preprocessor = null) : this(model, preprocessor, ownsModel: false) { }

    CausalLM(KerasModel model, ICausalLMPreprocessor? preprocessor, bool ownsModel)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        // The saved one is built on first use: token-id generation never pays for the vocabulary.
        this.preprocessor = preprocessor is not null ? new(preprocessor) : new(() => SavedPreprocessor(model));
        this.ownsModel = ownsModel;
        inputNames = model.Description.Inputs.Select(i => i.Layer).ToList();
        if (!inputNames.Contains(TokenIds) || inputNames.Any(n => n is not (TokenIds or PaddingMask)))
            throw new KerasPortException($"model '{model.Description.Name}' is not a causal LM: its inputs are {string.Join(", ", inputNames)}, not token_ids and padding_mask");
        if (model.Description.Outputs is not [var logits, ..] || model.Description.Layer(logits.Layer).ClassName != "ReversibleEmbedding")
            throw new KerasPortException($"model '{model.Description.Name}' is not a causal LM: its first output is not the logits of a token embedding (a KerasHub backbone? load its CausalLM task)");
        if (!CachedLayers(model.Graph).Any())
            throw new KerasPortException($"model '{model.Description.Name}' has no decoder layer that runs on a key/value cache, so it cannot generate (is it a KerasHub causal LM task?)");
    }

    /// <summary>
    /// Loads the task model at <paramref name="path"/> (a <c>.keras</c> file, or a folder) for generation, with the
    /// preprocessor saved in it (read in the same pass as the model), so string prompts work as they do in keras-hub.
    /// The model is disposed with this object.
    /// </summary>
    public static CausalLM Load(string path, KerasModelOptions? options = null) =>
        new(KerasModel.Load(path, options), null, ownsModel: true);

    /// <summary>Loads the task model at <paramref name="path"/> for generation, with <paramref name="preprocessor"/> for string prompts instead of the saved one.</summary>
    public static CausalLM Load(string path, ICausalLMPreprocessor preprocessor, KerasModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(preprocessor);
        return new(KerasModel.Load(path, options), preprocessor, ownsModel: true);
    }

    /// <summary>The task model.</summary>
    public KerasModel Model { get; }

    /// <summary>
    /// The preprocessor used for string prompts: the one given, else the one saved with the model; null when there is
    /// neither (token ids only).
    /// </summary>
    /// <exception cref="KerasPortException">The saved preprocessor is malformed or unsupported (named).</exception>
    public ICausalLMPreprocessor? Preprocessor => preprocessor.Value;

    /// <summary>Generates from token-id prompts; <paramref name="onToken"/> sees each generated token as it is produced.</summary>
    public GenerationResult Generate(CausalLMInputs prompts, GenerationOptions? options = null, Action<GeneratedToken>? onToken = null,
        CancellationToken cancellationToken = default) =>
        new Session(this, Pad(prompts, options?.MaxLength), options ?? new(), options?.StopTokenIds ?? [], null).Run(onToken, cancellationToken);

    /// <summary>Generates from string prompts through the <see cref="Preprocessor"/>, and returns the generated strings (prompt included, as keras-hub's).</summary>
    public IReadOnlyList<string> Generate(IReadOnlyList<string> prompts, GenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var preprocessor = NeedPreprocessor();
        var result = FromStrings(prompts, options).Run(null, cancellationToken);
        return preprocessor.Postprocess(result.TokenIds, result.PaddingMask);
    }

    /// <summary>Streams the tokens generated from token-id prompts as they are produced.</summary>
    public IAsyncEnumerable<GeneratedToken> GenerateAsync(CausalLMInputs prompts, GenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        Stream(() => new Session(this, Pad(prompts, options?.MaxLength), options ?? new(), options?.StopTokenIds ?? [], null), cancellationToken);

    /// <summary>Streams the tokens generated from string prompts as they are produced, each with its text.</summary>
    public IAsyncEnumerable<GeneratedToken> GenerateAsync(IReadOnlyList<string> prompts, GenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        Stream(() => FromStrings(prompts, options), cancellationToken);

    Session FromStrings(IReadOnlyList<string> prompts, GenerationOptions? options)
    {
        var preprocessor = NeedPreprocessor();
        var inputs = preprocessor.GenerateInputs(prompts, options?.MaxLength);
        return new Session(this, Pad(inputs, null), options ?? new(), options?.StopTokenIds ?? preprocessor.EndTokenIds,
            RowTexts(preprocessor, inputs));
    }

    /// <summary>The text each generated token adds to its row (see <see cref="StreamedText"/>).</summary>
    static Func<int, int, bool, string?> RowTexts(ICausalLMPreprocessor preprocessor, CausalLMInputs prompts)
    {
        var rows = prompts.TokenIds.Select((row, r) => new StreamedText(preprocessor, row.Where((_, i) => prompts.PaddingMask[r][i]))).ToArray();
        return (row, token, isLast) => rows[row].Add(token, isLast);
    }

    ICausalLMPreprocessor NeedPreprocessor() => Preprocessor
        ?? throw new InvalidOperationException($"model '{Model.Description.Name}' was saved without a preprocessor: generate from token ids, or pass an ICausalLMPreprocessor");

    static ICausalLMPreprocessor? SavedPreprocessor(KerasModel model) =>
        model.Description.SavedTokenizer is { } saved ? CausalLMPreprocessor.FromFiles(saved.Files, saved.Source) : null;

    static async IAsyncEnumerable<GeneratedToken> Stream(Func<Session> start, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var session = start();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateUnbounded<GeneratedToken>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var run = Task.Run(() =>
        {
            try
            {
                session.Run(token => channel.Writer.TryWrite(token), stop.Token);
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, CancellationToken.None);
        try
        {
            await foreach (var token in channel.Reader.ReadAllAsync(cancellationToken)) yield return token;
        }
        finally
        {
            // A consumer that stops early ends the generation too.
            await stop.CancelAsync();
            await run;
        }
    }

    /// <summary>The prompts as rectangular arrays, widened with padding (id 0, mask false) or cut to <paramref name="maxLength"/>; checked.</summary>
    static CausalLMInputs Pad(CausalLMInputs prompts, int? maxLength)
    {
        if (prompts.TokenIds.Length == 0 || prompts.TokenIds.Length != prompts.PaddingMask.Length)
            throw new ArgumentException($"generation needs at least one prompt and one padding mask row per prompt (got {prompts.TokenIds.Length} rows of token ids, {prompts.PaddingMask.Length} of masks)");
        int width = prompts.TokenIds[0].Length;
        if (prompts.TokenIds.Any(r => r.Length != width) || prompts.PaddingMask.Any(r => r.Length != width))
            throw new ArgumentException("every prompt row (token ids and padding mask) must have the same length");
        int length = maxLength ?? width;
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "the maximum length must be at least 1");
        if (prompts.PaddingMask.Any(r => !r.Take(length).Contains(true)))
            throw new ArgumentException("every prompt needs at least one token within the maximum length (keras-hub starts generating after the shortest prompt)");
        return new(
            [.. prompts.TokenIds.Select(r => r.Take(length).Concat(Enumerable.Repeat(0, Math.Max(0, length - width))).ToArray())],
            [.. prompts.PaddingMask.Select(r => r.Take(length).Concat(Enumerable.Repeat(false, Math.Max(0, length - width))).ToArray())]);
    }

    static IEnumerable<ICachedDecoderLayer> CachedLayers(ModelGraph graph) => graph.Layers.Values.SelectMany(layer => layer switch
    {
        ICachedDecoderLayer cached => [cached],
        NestedModel nested => CachedLayers(nested.Graph),
        _ => Enumerable.Empty<ICachedDecoderLayer>(),
    });

    /// <inheritdoc />
    public void Dispose()
    {
        if (ownsModel) Model.Dispose();
    }

    /// <summary>One generation: its tokens, prompt mask, caches and sampler state.</summary>
    sealed class Session(CausalLM owner, CausalLMInputs prompts, GenerationOptions options, IReadOnlyList<int> stopTokenIds, Func<int, int, bool, string?>? text)
    {
        readonly int[][] ids = [.. prompts.TokenIds.Select(r => r.ToArray())];
        readonly bool[][] prompt = prompts.PaddingMask;
        readonly Dictionary<ICachedDecoderLayer, Tensor> caches = new(ReferenceEqualityComparer.Instance);
        readonly Sampler sampler = options.Sampler ?? Sampler.Greedy;
        readonly Device device = owner.Model.Device;

        int Batch => ids.Length;
        int Length => ids[0].Length;

        public GenerationResult Run(Action<GeneratedToken>? onToken, CancellationToken cancellationToken)
        {
            var pick = sampler.Start(device);
            var stopped = new bool[Batch];
            var steps = new List<GenerationStep>();
            try
            {
                using (NewDisposeScope()) Forward(Tokens(0, Length), 0);
                // generate_step: index = min(row_lengths), row lengths counting the prompt mask.
                int index = prompt.Min(r => r.Count(p => p));
                for (; index < Length; index++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (stopTokenIds.Count > 0 && Enumerable.Range(0, Batch).All(RowHasStopped)) break;
                    var (next, logits) = Step(index, pick);
                    for (int row = 0; row < Batch; row++)
                    {
                        if (prompt[row][index]) continue;
                        int token = ids[row][index] = (int)next[row];
                        if (stopped[row]) continue;
                        stopped[row] = stopTokenIds.Contains(token);
                        // A row's last token (its stop token, or the last position) flushes the text held back.
                        onToken?.Invoke(new GeneratedToken(row, index, token, stopped[row], text?.Invoke(row, token, stopped[row] || index == Length - 1)));
                    }
                    steps.Add(new GenerationStep(index, logits));
                }
            }
            finally
            {
                foreach (var cache in caches.Values) cache.Dispose();
                caches.Clear();
            }
            return new GenerationResult(ids, OutputMask(), steps);
        }

        /// <summary>sampler.py <c>body</c>: the logits for position <paramref name="index"/> from the token before it, and the sampled tokens.</summary>
        (long[] Next, float[][]? Logits) Step(int index, Func<Tensor, Tensor> pick)
        {
            using var scope = NewDisposeScope();
            var logits = Forward(Tokens(index - 1, 1), index - 1)[0].select(1, 0);
            var next = pick(sampler.Probabilities(logits)).to_type(ScalarType.Int64).cpu().data<long>().ToArray();
            float[][]? kept = null;
            if (options.KeepStepLogits)
            {
                var values = logits.to_type(ScalarType.Float32).cpu().data<float>().ToArray();
                int vocabulary = (int)logits.size(1);
                kept = [.. Enumerable.Range(0, Batch).Select(r => values.AsSpan(r * vocabulary, vocabulary).ToArray())];
            }
            return (next, kept);
        }

        /// <summary>Columns <c>[start, start + count)</c> of the token ids, <c>[batch, count]</c> int32.</summary>
        Tensor Tokens(int start, int count) =>
            tensor(ids.SelectMany(r => r.Skip(start).Take(count)).ToArray(), [Batch, count], ScalarType.Int32, device);

        /// <summary>
        /// The task's <c>call_with_cache</c>: the graph with its cached decoder layers called on their caches at
        /// <paramref name="cacheUpdateIndex"/> (keras-hub passes them no padding mask; the mask input is all ones here).
        /// </summary>
        Tensor[] Forward(Tensor tokens, long cacheUpdateIndex)
        {
            var inputs = owner.inputNames.Select(name => name == TokenIds ? tokens : ones_like(tokens)).ToList();
            return owner.Model.Graph.Execute(inputs, null, false, null, Intercept);

            Tensor[]? Intercept(KerasLayer layer, CallArguments arguments)
            {
                switch (layer)
                {
                    case ICachedDecoderLayer cached:
                        if (!caches.TryGetValue(cached, out var cache))
                            cache = caches[cached] = cached.EmptyCache(Batch, Length, device).DetachFromDisposeScope();
                        var (output, updated) = cached.CallWithCache(arguments.Input, cache, cacheUpdateIndex);
                        caches[cached] = updated.DetachFromDisposeScope();
                        cache.Dispose();
                        return [output];
                    case NestedModel nested:
                        return nested.Graph.Execute(arguments.Inputs, null, false, null, Intercept);
                    default:
                        return null;
                }
            }
        }

        /// <summary>sampler.py <c>cond</c>: the row holds a stop token where its prompt mask is false.</summary>
        bool RowHasStopped(int row) => Enumerable.Range(0, Length).Any(i => !prompt[row][i] && stopTokenIds.Contains(ids[row][i]));

        /// <summary>
        /// gemma_causal_lm.py <c>generate_step</c>'s output mask: with stop tokens, true up to and including each row's
        /// first stop token after its prompt (<c>cumsum(end_locations) - end_locations == 0</c>); without, all true.
        /// </summary>
        bool[][] OutputMask() => [.. ids.Select((row, r) =>
        {
            var mask = new bool[row.Length];
            bool ended = false;
            for (int i = 0; i < row.Length; i++)
            {
                mask[i] = !ended;
                ended |= stopTokenIds.Count > 0 && !prompt[r][i] && stopTokenIds.Contains(row[i]);
            }
            return mask;
        })];
    }
}
