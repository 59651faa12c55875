using KerasPort.Converters;
using KerasPort.Converters.Model;
using KerasPort.Runtime.Layers;
using KerasPort.Runtime.Layers.Core;
using KerasPort.Runtime.Layers.Merging;
using KerasPort.Runtime.Layers.Normalization;
using KerasPort.Runtime.Layers.Reshaping;
using TorchSharp;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Graph;

/// <summary>
/// A <see cref="ModelGraph"/>'s calls compiled once for inference (every <c>Predict</c>): its <see cref="GraphWalk"/> gives
/// each call's outputs a slot and resolves its arguments to slots ahead of time; each step runs in its own dispose scope, so a
/// layer's temporaries (views, intermediate results) are freed when it returns, and every intermediate tensor is
/// freed right after its last reader, so a pass reuses a few hot buffers instead of holding every activation until
/// it ends. Chains of a linear layer (convolution, Dense), an inference BatchNormalization and an activation layer,
/// each read only by the next, run as one step: the normalization folded into the linear layer's kernel and bias, the
/// activation applied in place (<see cref="FusedStep"/>); 2-D convolutions run with their kernels packed for oneDNN
/// (<see cref="Layers.Convolution.PackedConvolution"/>). Calls of layers that are the identity at inference
/// (<see cref="IInferenceIdentity"/>) get no step: their readers read the input. Layers stay unchanged (traces, training and saving see the
/// file's weights); the plan owns the folded and packed copies. Immutable after construction, apart from packing each
/// kernel once, under a lock, on its first call: any number of threads may run it.
/// </summary>
internal sealed class InferencePlan : IDisposable
{
    readonly Step[] steps;
    readonly GraphWalk walk;
    readonly InputLayer[] inputLayers;
    readonly List<IDisposable> owned = [];
    int ran;

    /// <summary>Compiles <paramref name="graph"/>'s calls.</summary>
    public InferencePlan(ModelGraph graph)
    {
        // The plan is built on the first prediction, possibly in inference mode; its folded weights must stay
        // ordinary tensors, usable by the tensor overload of Predict, which runs under no_grad only.
        using var normalMode = inference_mode(false);
        var description = graph.Description;
        // Calls that are the identity at inference get no step: their output is their input, whose slot readers read.
        walk = new GraphWalk(description, layer => graph.Layers[layer.Name] is IInferenceIdentity, graph.MaskClearing.Hides);
        inputLayers = description.Inputs.Select(i => (InputLayer)graph.Layers[i.Layer]).ToArray();
        var calls = walk.Calls.Select(c => new CallStep(c, graph.Layers[c.Layer.Name])).ToList();
        var outputs = walk.Outputs;
        int slotCount = walk.SlotCount;

        var readers = new int[slotCount];
        foreach (var call in calls)
            foreach (var slot in call.Reads) readers[slot]++;
        foreach (var output in outputs)
            if (output.Slot >= 0) readers[output.Slot] = int.MaxValue;
        // Fused steps read their inputs directly, without Keras's autocast: a model that mixes float64 layers runs call by call.
        steps = Autocast.AnyFloat64(description) ? [.. calls] : FusedStep.Fuse(calls, readers, owned).ToArray();

        // Each slot is freed after the step that reads it last; model inputs and outputs never are.
        var lastReader = new int[slotCount];
        Array.Fill(lastReader, -1);
        for (int s = 0; s < steps.Length; s++)
            foreach (var slot in steps[s].Reads) lastReader[slot] = s;
        var kept = walk.Inputs.Concat(outputs).Select(o => o.Slot).Where(s => s >= 0).ToHashSet();
        for (int slot = 0; slot < slotCount; slot++)
            if (!kept.Contains(slot) && lastReader[slot] >= 0) steps[lastReader[slot]].Frees.Add(slot);
    }

    /// <summary>
    /// Runs the model on <paramref name="inputs"/> (model-input order, on the model's device). The returned tensors
    /// belong to the caller's dispose scope.
    /// </summary>
    public Tensor[] Run(IReadOnlyList<Tensor> inputs) => Run(inputs, null);

    /// <summary>
    /// <see cref="Run(IReadOnlyList{Tensor})"/>, reporting each step (its layers' names and classes, each joined with
    /// <c>+</c>) and its duration in milliseconds to <paramref name="observe"/> (for <c>kerasport bench --profile</c>).
    /// </summary>
    public Tensor[] Run(IReadOnlyList<Tensor> inputs, Action<string, string, double>? observe)
    {
        var values = walk.Start(inputs, admit: (i, input) => ModelGraph.CastToDeclared(input, inputLayers[i]));
        var run = new PlanRun(values, NewDisposeScope());
        using (run.Scope)
        {
            foreach (var step in steps)
            {
                long started = observe is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
                step.Run(run);
                foreach (var slot in step.Frees) run.Free(slot);
                observe?.Invoke(step.Name, step.Classes, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            var results = values.ModelOutputs(walk.Outputs);
            run.Scope.MoveToOuter(results);
            if (Interlocked.Exchange(ref ran, 1) == 0) NativeAllocator.ReleaseFreeMemory();
            return results;
        }
    }

    /// <summary>The steps in order, each as the names of the layers it runs joined with <c>+</c> (for tests and diagnostics).</summary>
    internal IReadOnlyList<string> StepNames => steps.Select(s => s.Name).ToList();

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var resource in owned) resource.Dispose();
        owned.Clear();
    }

    /// <summary>The values and masks of one pass, in the pass's own dispose scope.</summary>
    internal sealed class PlanRun(GraphValues<Tensor> values, DisposeScope scope)
    {
        /// <summary>The slots' tensors and masks.</summary>
        public GraphValues<Tensor> Values { get; } = values;

        /// <summary>The scope that owns every tensor the pass creates.</summary>
        public DisposeScope Scope { get; } = scope;

        /// <summary>The tensor <paramref name="reference"/> names.</summary>
        public Tensor Output(SlotRef reference) => Values.Output(reference);

        /// <summary>
        /// Frees the tensors of <paramref name="slot"/> that the pass created and that no live slot or mask still holds
        /// (a layer may hand its input on as its output; the caller's inputs and layer weights are never the pass's).
        /// </summary>
        public void Free(int slot)
        {
            foreach (var tensor in Values.Remove(slot) ?? [])
                if (Scope.Contains(tensor) && !Values.Holds(tensor)) tensor.Dispose();
        }
    }

    /// <summary>One step of the plan: one layer call, or a fused chain of calls.</summary>
    internal abstract class Step
    {
        /// <summary>The slots the step reads.</summary>
        public abstract IEnumerable<int> Reads { get; }

        /// <summary>The slots whose last reader this step is (filled by the plan).</summary>
        public List<int> Frees { get; } = [];

        /// <summary>Runs the step, filling its output slot.</summary>
        public abstract void Run(PlanRun run);

        /// <summary>The names of the layers the step runs, joined with <c>+</c>.</summary>
        public abstract string Name { get; }

        /// <summary>The Keras classes of the layers the step runs, joined with <c>+</c>.</summary>
        public abstract string Classes { get; }
    }

    /// <summary>One layer call with its arguments resolved to slots.</summary>
    internal sealed class CallStep(WalkCall call, KerasLayer layer) : Step
    {
        /// <summary>The layer's description.</summary>
        public LayerDescription Description => call.Layer;

        /// <inheritdoc />
        public override string Name => Description.Name;

        /// <inheritdoc />
        public override string Classes => Description.ClassName;

        /// <summary>The layer object.</summary>
        public KerasLayer Layer => layer;

        /// <summary>The slot the call fills.</summary>
        public int Slot => call.Slot;

        /// <summary>The only positional argument when it is a single tensor (a one-input layer), else null.</summary>
        public SlotRef? Single => call.Single;

        /// <summary>The number of tensors the call reads.</summary>
        public int TensorCount => call.Tensors.Count;

        /// <summary>The tensors the call reads, in argument order.</summary>
        public IReadOnlyList<SlotRef> TensorRefs => call.Tensors;

        /// <summary>Whether a keyword argument holds a tensor (an explicit mask among them).</summary>
        public bool HasTensorKeywords => call.HasTensorKeywords;

        /// <inheritdoc />
        public override IEnumerable<int> Reads => call.Reads;

        /// <summary>The call's arguments in this pass, with their masks as <see cref="ModelGraph"/> gives them.</summary>
        public CallArguments Arguments(PlanRun run) => ModelGraph.ArgumentsOf(call, run.Values);

        /// <inheritdoc />
        public override void Run(PlanRun run)
        {
            using var scope = NewDisposeScope();
            var arguments = Arguments(run);
            Tensor[] outputs;
            try
            {
                outputs = Layer is NestedModel nested ? nested.Graph.Infer(arguments.Inputs) : Layer.Call(arguments);
            }
            catch (Exception e) when (e is not KerasPortException)
            {
                throw new KerasPortException($"layer '{Description.Name}' ({Description.ClassName}) failed: {e.Message}", e);
            }
            var mask = Layer.ComputeMask(arguments, arguments.Mask);
            scope.MoveToOuter(outputs);
            if (mask is not null)
            {
                scope.MoveToOuter(mask);
                run.Values.SetMask(Slot, mask, ModelGraph.OutputsWithMask(Layer, outputs.Length));
            }
            run.Values.Set(Slot, outputs);
        }
    }

    /// <summary>
    /// A chain of calls run as one step: a head layer whose output is a fresh tensor (a linear layer in its inference
    /// form, possibly with the following BatchNormalization folded into it; a BatchNormalization; a merge of several
    /// inputs), then the activation layer that alone reads it, applied in place (or, swish after a packed convolution, as oneDNN post-op in the convolution's output pass). Each intermediate is read by the next
    /// call only, and is not a model output. A linear layer alone also runs as such a step when it has an inference form
    /// (a packed convolution). A linear head may also take in the two-input <c>Add</c> that alone reads it, computing
    /// into the Add's other input (the "donor", ResNet's shortcut) when that is a fresh tensor of the plan's that the Add
    /// reads last. When an input carries a mask the chain runs call by call instead.
    /// </summary>
    internal sealed class FusedStep : Step
    {
        readonly CallStep[] chain;
        readonly LinearInference? linear;
        readonly SlotRef? donor;
        readonly Func<Tensor, Tensor>? inPlace;
        readonly string? postOp;

        FusedStep(CallStep[] chain, LinearInference? linear, SlotRef? donor, Func<Tensor, Tensor>? inPlace, string? postOp)
        {
            this.chain = chain;
            this.linear = linear;
            this.donor = donor;
            this.inPlace = inPlace;
            this.postOp = postOp;
        }

        /// <inheritdoc />
        public override IEnumerable<int> Reads => donor is { } d ? chain[0].Reads.Append(d.Slot) : chain[0].Reads;

        /// <inheritdoc />
        public override string Name => string.Join("+", chain.Select(c => c.Name));

        /// <inheritdoc />
        public override string Classes => string.Join("+", chain.Select(c => c.Description.ClassName));

        /// <inheritdoc />
        public override void Run(PlanRun run)
        {
            var head = chain[0];
            if (run.Values.HasMasks && Reads.Any(run.Values.HasMask))
            {
                RunCallByCall(run);
                return;
            }
            using var scope = NewDisposeScope();
            Tensor y;
            try
            {
                y = linear is null ? head.Layer.Call(head.Arguments(run))[0]
                    : donor is { } d ? linear.ApplyAdding!(run.Output(head.Single!.Value), run.Output(d))
                    : postOp is not null ? linear.ApplyActivated!(run.Output(head.Single!.Value), postOp)
                    : linear.Apply(run.Output(head.Single!.Value));
                if (inPlace is not null) y = inPlace(y);
            }
            catch (Exception e) when (e is not KerasPortException)
            {
                var names = string.Join(" + ", chain.Select(c => $"'{c.Description.Name}' ({c.Description.ClassName})"));
                throw new KerasPortException($"layers {names} failed: {e.Message}", e);
            }
            scope.MoveToOuter(y);
            run.Values.Set(chain[^1].Slot, [y]);
        }

        void RunCallByCall(PlanRun run)
        {
            for (int i = 0; i < chain.Length; i++)
            {
                chain[i].Run(run);
                if (i > 0) run.Free(chain[i - 1].Slot);
            }
        }

        /// <summary>
        /// Replaces chains in <paramref name="calls"/> (execution order) by fused steps. <paramref name="readers"/> counts
        /// each slot's readers (model outputs count as many); folded weights go to <paramref name="owned"/>.
        /// </summary>
        public static IEnumerable<Step> Fuse(IReadOnlyList<CallStep> calls, int[] readers, ICollection<IDisposable> owned)
        {
            var bySingleInput = calls.Where(c => c.Single is { Index: 0 } && !c.HasTensorKeywords)
                .GroupBy(c => c.Single!.Value.Slot).ToDictionary(g => g.Key, g => g.First());
            var readersOf = calls.SelectMany((c, i) => c.Reads.Select(slot => (slot, i))).ToLookup(r => r.slot, r => r.i);
            var fresh = new HashSet<int>();
            // The call that alone reads the only output of `call` as its single input, if any.
            CallStep? SoleReader(CallStep call) =>
                readers[call.Slot] == 1 && bySingleInput.TryGetValue(call.Slot, out var next) ? next : null;

            var absorbed = new HashSet<CallStep>();
            for (int index = 0; index < calls.Count; index++)
            {
                var call = calls[index];
                if (absorbed.Contains(call)) continue;
                var chain = new List<CallStep> { call };
                LinearInference? inference = null;
                SlotRef? donor = null;
                bool isFresh = false;
                // A ZeroPadding read only by a convolution becomes part of the convolution's own padding, where it can.
                var (linearCall, zeroPadded) = call.Layer is ZeroPadding { ChannelsLastPads: { } pads } && call.Single is { Index: 0 }
                    && !call.HasTensorKeywords && SoleReader(call) is { Layer: IFoldableLinear } padded
                    ? (padded, pads) : (call, null);
                if (linearCall.Layer is IFoldableLinear linear && linearCall.Single is { Index: 0 } && !linearCall.HasTensorKeywords)
                {
                    var norm = SoleReader(linearCall) is { Layer: BatchNormalization { ChannelAffine: { } affine } } next
                        && MatchesLastAxis(affine.Axis, linear.OutputRank) ? next : null;
                    inference = norm is { Layer: BatchNormalization { ChannelAffine: { } folded } }
                        ? linear.Inference(folded.Scale, folded.Shift, owned, zeroPadded) : null;
                    if (inference is null)
                    {
                        norm = null;
                        inference = linear.Inference(null, null, owned, zeroPadded);
                    }
                    if (inference is null && zeroPadded is not null)
                    {
                        // The convolution cannot take the pads: the ZeroPadding stays a step of its own.
                        yield return call;
                        continue;
                    }
                    if (zeroPadded is not null) chain.Add(linearCall);
                    if (norm is not null) chain.Add(norm);
                    // A linear layer's output (its activation's included) is always a new tensor.
                    isFresh = true;
                    if (inference?.ApplyAdding is not null && AddWithDonor(chain[^1]) is var (add, other))
                    {
                        chain.Add(add);
                        donor = other;
                    }
                }
                else isFresh = call.Layer is BatchNormalization && call.Single is { Index: 0 } && !call.HasTensorKeywords
                    || call.Layer is Merge && call.TensorCount >= 2 && !call.HasTensorKeywords;
                Func<Tensor, Tensor>? inPlace = null;
                string? postOp = null;
                if (isFresh && SoleReader(chain[^1]) is { Layer: IInPlaceActivation { InPlace: { } activation } fused } act)
                {
                    chain.Add(act);
                    // A packed convolution applies the activation in its own output pass where oneDNN has it (not after an Add).
                    if (donor is null && inference?.ApplyActivated is not null && fused.ConvolutionPostOp is { } name) postOp = name;
                    else inPlace = activation;
                }
                if (chain.Count == 1 && inference is null)
                {
                    yield return call;
                    continue;
                }
                absorbed.UnionWith(chain);
                if (isFresh) fresh.Add(chain[^1].Slot);
                yield return new FusedStep([.. chain], inference, donor, inPlace, postOp);

                // The two-input Add that alone reads `last`, with its other input when the step may write into it: a fresh
                // tensor of the plan's (the output of an earlier fused step, so produced before this one runs), not a model
                // output, whose other readers all ran earlier and are linear layers (whose outputs never alias their input).
                (CallStep, SlotRef)? AddWithDonor(CallStep last)
                {
                    if (readers[last.Slot] != 1 || calls.Skip(index + 1).FirstOrDefault(c => c.Reads.Contains(last.Slot)) is not
                        { Layer: Merge { ClassName: "Add" }, TensorCount: 2, HasTensorKeywords: false } add)
                        return null;
                    var others = add.TensorRefs.Where(t => t.Slot != last.Slot).ToList();
                    if (others is not [{ Index: 0 } other] || !fresh.Contains(other.Slot) || readers[other.Slot] == int.MaxValue) return null;
                    bool earlierLinearReaders = readersOf[other.Slot].All(i => calls[i] == add
                        || i < index && calls[i].Layer is IFoldableLinear);
                    return earlierLinearReaders ? (add, other) : null;
                }
            }
        }

        /// <summary>Whether a normalization <paramref name="axis"/> is the last axis of an output of rank <paramref name="rank"/> (unknown: only -1 is).</summary>
        static bool MatchesLastAxis(int axis, int? rank) => axis == -1 || rank is { } r && axis == r - 1;
    }
}
