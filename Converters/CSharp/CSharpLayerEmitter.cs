using System.Globalization;

namespace KerasPort.Converters.CSharp;

/// <summary>
/// Translates one call of a Keras layer into TorchSharp C#: the torch.nn module it needs (created on its first call,
/// with its weights moved to torch layout) and the <c>forward</c> statements that compute it. Tensors between layers
/// stay in Keras's layout; convolution and pooling move channels to axis 1 and back around the torch call.
/// Keras numerics kept here: TensorFlow's asymmetric 'same' padding and 'causal' padding, average pooling that
/// excludes padding, BatchNormalization epsilon, LSTM gates i,f,c,o (torch's i,f,g,o), GRU gates z,r,h reordered to
/// torch's r,z,n with reset_after biases, and hard_sigmoid as the model's Keras generation defines it.
/// </summary>
internal static class CSharpLayerEmitter
{

    /// <summary>The emitters of the layers that have a spec, by class name (the names come from the spec types).</summary>
    static readonly Dictionary<string, Func<Call, LayerReader, string[]>> Specced = BuildSpecced();

    static Dictionary<string, Func<Call, LayerReader, string[]>> BuildSpecced()
    {
        var table = new Dictionary<string, Func<Call, LayerReader, string[]>>(StringComparer.Ordinal);
        // core
        Add<DenseSpec>(table, (call, s) => call.Dense(s));
        Add<EmbeddingSpec>(table, (call, s) => call.Embedding(s));
        Add<ActivationSpec>(table, (call, s) => call.Unary(call.ActivationNamed(call.Input, s.Activation)));
        Add<IdentitySpec>(table, (call, _) => call.Pass());
        Add<ActivityRegularizationSpec>(table, (call, _) => call.Pass());
        // convolution and pooling
        Add<ConvSpec>(table, (call, s) => call.Conv(s.Window, s.UseBias, s.Activation, depthwise: false, s.Groups));
        Add<DepthwiseConvSpec>(table, (call, s) => call.Conv(s.Window, s.UseBias, s.Activation, depthwise: true, groups: 1));
        Add<SeparableConvSpec>(table, (call, s) => call.SeparableConv(s));
        Add<PoolingSpec>(table, (call, s) => call.Pool(s));
        Add<GlobalPoolingSpec>(table, (call, s) => call.GlobalPool(s));
        // recurrent
        Add<LSTMSpec>(table, (call, s) => call.Recurrent(s.Cell, s.Options));
        Add<GRUSpec>(table, (call, s) => call.Recurrent(s.Cell, s.Options));
        Add<SimpleRNNSpec>(table, (call, s) => call.Recurrent(s.Cell, s.Options));
        // normalization
        Add<BatchNormalizationSpec>(table, (call, s) => call.BatchNormalization(s));
        Add<LayerNormalizationSpec>(table, (call, s) => call.LayerNormalization(s));
        // activation layers
        Add<ReLUSpec>(table, (call, s) => call.Unary(call.Relu(s)));
        Add<LeakyReLUSpec>(table, (call, s) => call.Unary($"F.leaky_relu({call.Input}, {Literal(s.NegativeSlope)})"));
        Add<ELUSpec>(table, (call, s) => call.Unary($"F.elu({call.Input}, {Literal(s.Alpha)})"));
        Add<SoftmaxSpec>(table, (call, s) => call.Unary($"F.softmax({call.Input}, {(s.Axes is [var axis] ? axis : throw call.Unsupported("softmax over several axes"))})"));
        // merging
        Add<MergeSpec>(table, (call, s) => call.Unary(s.Operation switch
        {
            MergeOperation.Add => string.Join(" + ", call.Inputs),
            MergeOperation.Subtract => string.Join(" - ", call.Inputs),
            MergeOperation.Multiply => string.Join(" * ", call.Inputs),
            MergeOperation.Average => $"({string.Join(" + ", call.Inputs)}) / {call.Inputs.Count}",
            var extremum => call.Inputs.Skip(1).Aggregate(call.Inputs[0], (a, b) => $"torch.{extremum.ToString().ToLowerInvariant()}({a}, {b})"),
        }));
        Add<ConcatenateSpec>(table, (call, s) => call.Unary($"torch.cat(new[] {{ {string.Join(", ", call.Inputs)} }}, {s.Axis})"));
        // reshaping
        Add<FlattenSpec>(table, (call, s) => call.Flatten(s));
        Add<ReshapeSpec>(table, (call, s) => call.Unary($"{call.Input}.reshape([{call.Input}.shape[0], {string.Join(", ", s.TargetShape)}])"));
        Add<PermuteSpec>(table, (call, s) => call.Unary($"{call.Input}.permute({Longs(s.Order)})"));
        Add<RepeatVectorSpec>(table, (call, s) => call.Unary($"{call.Input}.unsqueeze(1).repeat({Longs([1, s.N, 1])})"));
        Add<ZeroPaddingSpec>(table, (call, s) => call.ZeroPadding(s));
        Add<CroppingSpec>(table, (call, s) => call.Cropping(s));
        Add<UpSamplingSpec>(table, (call, s) => call.UpSampling(s));
        // regularization: Dropout is emitted as F.dropout so that training mode keeps it; SpatialDropout and the noise layers compute nothing at inference
        Add<DropoutSpec>(table, (call, s) => s.Spatial ? call.Pass() : call.Unary($"F.dropout({call.Input}, {Literal(s.Rate)}, training)"));
        Add<AlphaDropoutSpec>(table, (call, _) => call.Pass());
        Add<GaussianDropoutSpec>(table, (call, _) => call.Pass());
        Add<GaussianNoiseSpec>(table, (call, _) => call.Pass());
        // preprocessing: the random image augmentations compute nothing at inference
        Add<RescalingSpec>(table, (call, s) => call.Unary($"{call.Input} * {call.Scalar(s.Scale)} + {call.Scalar(s.Offset)}"));
        Add<NormalizationSpec>(table, (call, s) => call.Normalization(s));
        Add<ImageAugmentationSpec>(table, (call, _) => call.Pass());
        return table;
    }

    static void Add<TSpec>(Dictionary<string, Func<Call, LayerReader, string[]>> table, Func<Call, TSpec, string[]> emit) where TSpec : LayerSpec, ILayerSpec<TSpec>
    {
        foreach (var name in TSpec.ClassNames) table[name] = (call, layer) => emit(call, TSpec.Read(layer));
    }

    /// <summary>
    /// Emits call <paramref name="nodeIndex"/> of <paramref name="layer"/> (arguments <paramref name="node"/>, tensors
    /// named by <paramref name="resolve"/>) and returns the locals holding its outputs.
    /// </summary>
    public static string[] Emit(ModuleBuilder module, LayerDescription layer, InboundNode node, int nodeIndex, Func<TensorRef, string> resolve)
    {
        var call = new Call(module, layer, node, nodeIndex, resolve);
        if (layer.IsOp)
            return LayerSpecs.Read(LayerReader.Of(layer, module.Generation)) switch
            {
                BinaryOpSpec { Function: "add" or "subtract" or "multiply" or "divide" } op => call.Unary(string.Join(op.Function switch
                {
                    "add" => " + ", "subtract" => " - ", "multiply" => " * ", _ => " / ",
                }, call.Operands(node, resolve)), "keras.ops"),
                _ => throw new UnsupportedLayerException(layer.ClassName, layer.Name, "this keras.ops node has no TorchSharp translation in --emit-csharp yet"),
            };
        KerasQuantization.RequireFloat(layer, "--emit-csharp");
        if (Specced.TryGetValue(layer.ClassName, out var emit)) return emit(call, LayerReader.Of(layer, module.Generation));
        return layer.ClassName switch
        {
            _ => throw new UnsupportedLayerException(layer.ClassName, layer.Name, "has no TorchSharp translation in --emit-csharp yet"),
        };
    }

    /// <summary>A C# <c>long[]</c> collection expression.</summary>
    static string Longs(IEnumerable<long> values) => "[" + string.Join(", ", values) + "]";

    static string Literal(double value) => value.ToString("R", CultureInfo.InvariantCulture) is var s && (s.Contains('.') || s.Contains('E')) ? s : s + ".0";

    /// <summary>One call of one layer being emitted.</summary>
    sealed class Call
    {
        readonly ModuleBuilder module;
        readonly LayerDescription layer;
        readonly int nodeIndex;

        public Call(ModuleBuilder module, LayerDescription layer, InboundNode node, int nodeIndex, Func<TensorRef, string> resolve)
        {
            this.module = module;
            this.layer = layer;
            this.nodeIndex = nodeIndex;
            if (node.Kwargs.Values.Any(v => v.Tensors.Any()))
                throw Unsupported($"its call passes tensors by keyword ({string.Join(", ", node.Kwargs.Where(kv => kv.Value.Tensors.Any()).Select(kv => kv.Key))}): initial states, masks and attention inputs are not translated");
            Inputs = node.Args.SelectMany(a => a.Tensors).Select(resolve).ToList();
            if (Inputs.Count == 0) throw Unsupported("its call has no tensor input");
            if (layer.Weights.Count == 0 && HasWeights(layer.ClassName))
                throw Unsupported("the model has no weights for it (an architecture-only file?)");
        }

        static bool HasWeights(string className) => className is "Dense" or "Embedding" or "BatchNormalization" or "LSTM" or "GRU" or "SimpleRNN"
            || className.StartsWith("Conv", StringComparison.Ordinal) || className.StartsWith("DepthwiseConv", StringComparison.Ordinal) || className.StartsWith("SeparableConv", StringComparison.Ordinal);

        /// <summary>The locals of the call's input tensors.</summary>
        public List<string> Inputs { get; }

        /// <summary>An op node's two operands: tensors by their locals, numbers as literals.</summary>
        public IEnumerable<string> Operands(InboundNode node, Func<TensorRef, string> resolve)
        {
            if (node.Args.Count != 2 || node.Kwargs.Count > 0) throw Unsupported("an op call other than two positional operands");
            return node.Args.Select(a => a switch
            {
                TensorArgument t => resolve(t.Tensor),
                ConstantArgument { Value: JsonValue v } when v.TryGetValue<double>(out var number) => Literal(number),
                _ => throw Unsupported("an operand that is neither a tensor nor a number"),
            });
        }

        /// <summary>The first (usually only) input.</summary>
        public string Input => Inputs[0];

        JsonObject Config => layer.Config;

        public UnsupportedLayerException Unsupported(string why) => new(layer.ClassName, layer.Name, why);

        /// <summary>A local for an output of this call: <c>conv1_out</c>, <c>lstm_state_h</c>, <c>shared_1_out</c> for a second call.</summary>
        string NewLocal(string suffix = "_out") => module.Names.Local(layer.Name + (nodeIndex > 0 ? $"_{nodeIndex}" : "") + suffix);

        /// <summary>Emits <c>var out = expression;</c> with a comment naming the layer; returns the one output.</summary>
        public string[] Unary(string expression, string? note = null)
        {
            var local = NewLocal();
            module.Forward.Add($"// {CSharpNames.Comment(layer.Name)} ({layer.ClassName}{(note is null ? "" : ", " + note)})");
            module.Forward.Add($"var {local} = {expression};");
            return [local];
        }

        /// <summary>A layer that is the identity at inference: its output is its input.</summary>
        public string[] Pass()
        {
            module.Forward.Add($"// {CSharpNames.Comment(layer.Name)} ({layer.ClassName}): identity at inference");
            return [Input];
        }

        string Helper(string name)
        {
            foreach (var dependency in CSharpHelpers.Dependencies(name).Append(name)) module.Helpers.Add(dependency);
            return name;
        }

        /// <summary>The layer's torch module field, created on its first call (a shared layer reuses it).</summary>
        string Field(string suffix, string type, string create, params (string Key, NdArray Value)[] state)
        {
            var key = layer.Name + suffix;
            if (module.LayerFields.TryGetValue(key, out var existing)) return existing[0];
            var field = module.AddField(layer.Name, suffix, type, create, $"Keras {layer.ClassName} '{layer.Name}'{(suffix.Length > 0 ? $" ({suffix.TrimStart('_')})" : "")}.", state);
            module.LayerFields[key] = [field];
            return field;
        }

        NdArray Weight(int index, int count)
        {
            if (layer.Weights.Count != count)
                throw Unsupported($"{layer.Weights.Count} weight arrays where its config implies {count}");
            return layer.Weights[index].Value;
        }

        /// <summary>The layer's config, read as every consumer reads it, for the layers awaiting a spec.</summary>
        public LayerReader Reader => LayerReader.Of(layer, module.Generation);

        /// <summary>
        /// The activation named <paramref name="name"/> applied to <paramref name="x"/> (keras/src/activations; hard_sigmoid
        /// is clip(0.2x + 0.5, 0, 1) in Keras 1/2 and relu6(x + 3) / 6 in Keras 3).
        /// </summary>
        public string ActivationNamed(string x, string name) => name switch
        {
            "linear" or "" => x,
            "relu" => $"F.relu({x})",
            "relu6" => $"F.relu6({x})",
            "sigmoid" => $"torch.sigmoid({x})",
            "tanh" => $"torch.tanh({x})",
            "softmax" => $"F.softmax({x}, -1)",
            "log_softmax" => $"F.log_softmax({x}, -1)",
            "elu" => $"F.elu({x}, 1.0)",
            "celu" => $"F.celu({x}, 1.0)",
            "selu" => $"F.selu({x})",
            "gelu" => $"F.gelu({x})",
            "silu" or "swish" => $"F.silu({x})",
            "softplus" => $"F.softplus({x})",
            "softsign" => $"F.softsign({x})",
            "exponential" => $"torch.exp({x})",
            "leaky_relu" => $"F.leaky_relu({x}, 0.2)",
            "hard_silu" or "hard_swish" => $"F.hardswish({x})",
            "mish" => $"({x}) * torch.tanh(F.softplus({x}))",
            "glu" => $"F.glu({x}, -1)",
            "hard_shrink" => $"F.hardshrink({x}, 0.5)",
            "soft_shrink" => $"F.softshrink({x}, 0.5)",
            "tanh_shrink" => $"F.tanhshrink({x})",
            "log_sigmoid" => $"F.logsigmoid({x})",
            "hard_tanh" => $"({x}).clamp(-1, 1)",
            "squareplus" => $"(({x}) + (({x}).square() + 4).sqrt()) / 2",
            "sparse_plus" => $"torch.where({x} <= -1, torch.zeros_like({x}), torch.where({x} < 1, (({x}) + 1).square() * 0.25, {x}))",
            "sparse_sigmoid" => $"torch.where({x} <= -1, torch.zeros_like({x}), torch.where({x} >= 1, torch.ones_like({x}), (({x}) + 1) * 0.5))",
            "hard_sigmoid" => module.Generation >= 3 ? $"F.hardsigmoid({x})" : $"({x} * 0.2 + 0.5).clamp(0, 1)",
            _ => throw Unsupported($"activation '{name}' has no translation"),
        };

        // ---- layers ----

        public string[] Dense(DenseSpec spec)
        {
            bool bias = spec.UseBias;
            var kernel = Weight(0, bias ? 2 : 1);
            if (kernel.Shape.Length != 2) throw Unsupported($"kernel of rank {kernel.Shape.Length}");
            var field = Field("", "Linear", $"Linear({kernel.Shape[0]}, {kernel.Shape[1]}, hasBias: {Lower(bias)})",
                [("weight", TorchLayout.Transpose2D(kernel)), .. bias ? new[] { ("bias", layer.Weights[1].Value) } : []]);
            return Unary(ActivationNamed($"{field}.forward({Input})", spec.Activation));
        }

        /// <summary>
        /// Conv1D/2D/3D (groups, dilation) and DepthwiseConv1D/2D, which is a grouped convolution with one group per input
        /// channel and depth_multiplier outputs each (output channel c * multiplier + m, as Keras orders them).
        /// </summary>
        public string[] Conv(ConvWindow window, bool bias, string activation, bool depthwise, long groups)
        {
            int rank = window.Rank;
            var kernel = Weight(0, bias ? 2 : 1);
            if (kernel.Shape.Length != rank + 2) throw Unsupported($"kernel of rank {kernel.Shape.Length} for {rank} spatial axes");
            long[] size = kernel.Shape[..rank];
            long inputs, outputs;
            NdArray weight;
            if (depthwise)
            {
                (inputs, groups, outputs) = (kernel.Shape[rank], kernel.Shape[rank], kernel.Shape[rank] * kernel.Shape[rank + 1]);
                weight = TorchLayout.DepthwiseKernel(kernel);
            }
            else
            {
                (inputs, outputs) = (kernel.Shape[rank] * groups, kernel.Shape[rank + 1]);
                weight = TorchLayout.ConvKernel(kernel);
            }
            var (strides, dilation) = (window.Strides, window.Dilation);
            var field = Field("", $"Conv{rank}d", $"Conv{rank}d({inputs}, {outputs}, {Geometry(size, strides, dilation)}, groups: {groups}, bias: {Lower(bias)})",
                [("weight", weight), .. bias ? new[] { ("bias", layer.Weights[1].Value) } : []]);
            return Unary(ActivationNamed(FromTorch($"{field}.forward({Pad(ToTorch(Input, window), window, size)})", window), activation));
        }

        /// <summary>SeparableConv1D/2D: a depthwise convolution without bias, then a 1x1 convolution with the bias.</summary>
        public string[] SeparableConv(SeparableConvSpec spec)
        {
            var window = spec.Window;
            int rank = window.Rank;
            bool bias = spec.UseBias;
            var depthwise = Weight(0, bias ? 3 : 2);
            var pointwise = layer.Weights[1].Value;
            long channels = depthwise.Shape[rank], expanded = channels * depthwise.Shape[rank + 1], outputs = pointwise.Shape[^1];
            long[] size = depthwise.Shape[..rank], ones = Enumerable.Repeat(1L, rank).ToArray();
            var (strides, dilation) = (window.Strides, window.Dilation);
            var first = Field("_depthwise", $"Conv{rank}d", $"Conv{rank}d({channels}, {expanded}, {Geometry(size, strides, dilation)}, groups: {channels}, bias: false)",
                ("weight", TorchLayout.DepthwiseKernel(depthwise)));
            var second = Field("_pointwise", $"Conv{rank}d", $"Conv{rank}d({expanded}, {outputs}, {Geometry(ones, ones, ones)}, bias: {Lower(bias)})",
                [("weight", TorchLayout.ConvKernel(pointwise)), .. bias ? new[] { ("bias", layer.Weights[2].Value) } : []]);
            return Unary(ActivationNamed(FromTorch($"{second}.forward({first}.forward({Pad(ToTorch(Input, window), window, size)}))", window), spec.Activation));
        }

        /// <summary>TorchSharp's ConvNd arguments: scalars for 1D, tuples otherwise.</summary>
        static string Geometry(long[] size, long[] strides, long[] dilation) => size.Length == 1
            ? $"kernel_size: {size[0]}, stride: {strides[0]}, dilation: {dilation[0]}"
            : $"kernel_size: {TupleText(size)}, stride: {TupleText(strides)}, dilation: {TupleText(dilation)}";

        static string TupleText(long[] values) => "(" + string.Join(", ", values) + ")";

        /// <summary>
        /// Pads torch-layout <paramref name="x"/> as <paramref name="window"/>'s padding says (<paramref name="size"/>: the
        /// kernel's spatial size): 'same' (TensorFlow's asymmetric rule) with <paramref name="value"/>, 'causal'
        /// (dilation * (kernel - 1) cells at the start, 1D only: the spec checks), 'valid' not at all.
        /// </summary>
        string Pad(string x, ConvWindow window, long[] size, string? value = null) => window.Padding switch
        {
            // A 1-cell window with stride 1 needs no padding.
            PaddingMode.Same when size.All(k => k == 1) && window.Strides.All(s => s == 1) => x,
            PaddingMode.Same => $"{Helper(CSharpHelpers.SamePad)}({x}, {Longs(size)}, {Longs(window.Strides)}, {Longs(window.Dilation)}{(value is null ? "" : ", " + value)})",
            PaddingMode.Causal => $"F.pad({x}, {Longs([window.Dilation[0] * (size[0] - 1), 0])})",
            _ => x,
        };

        string ToTorch(string x, ConvWindow window) => window.ChannelsFirst ? x : $"{Helper(CSharpHelpers.ChannelsFirst)}({x})";

        string FromTorch(string x, ConvWindow window) => window.ChannelsFirst ? x : $"{Helper(CSharpHelpers.ChannelsLast)}({x})";

        /// <summary>Max and average pooling; strides default to the pool size (keras/src/layers/pooling/base_pooling.py).</summary>
        public string[] Pool(PoolingSpec spec)
        {
            var window = spec.Window;
            var (size, strides, input) = (window.Size, window.Strides, ToTorch(Input, window));
            string pooled = spec.Max
                ? $"{Helper(CSharpHelpers.MaxPool)}({Pad(input, window, size, "double.NegativeInfinity")}, {Longs(size)}, {Longs(strides)})"
                : window.Padding == PaddingMode.Same
                    ? $"{Helper(CSharpHelpers.AvgPoolSame)}({input}, {Longs(size)}, {Longs(strides)})"
                    : $"{Helper(CSharpHelpers.AvgPool)}({input}, {Longs(size)}, {Longs(strides)})";
            return Unary(FromTorch(pooled, window));
        }

        public string[] GlobalPool(GlobalPoolingSpec spec)
        {
            var axes = Enumerable.Range(spec.FirstSpatialAxis, spec.Rank).Select(a => (long)a);
            var keep = Lower(spec.KeepDims);
            return Unary(spec.Average ? $"{Input}.mean({Longs(axes)}, keepdim: {keep})" : $"{Input}.amax({Longs(axes)}, keepdim: {keep})");
        }

        public string[] BatchNormalization(BatchNormalizationSpec spec)
        {
            bool center = spec.Center, scale = spec.Scale;
            Weight(0, spec.FirstStatistic + 2);
            var axis = spec.Axes is [var single] ? single : throw Unsupported("normalizes over several axes");
            var names = spec.WeightNames;
            long features = layer.Weights[^1].Value.Length;
            var field = Field("", CSharpHelpers.KerasBatchNorm,
                $"new {Helper(CSharpHelpers.KerasBatchNorm)}({features}, axis: {axis}, epsilon: {Literal(spec.Epsilon)}, center: {Lower(center)}, scale: {Lower(scale)})",
                names.Select((n, i) => (n, layer.Weights[i].Value)).ToArray());
            return Unary($"{field}.forward({Input})");
        }

        /// <summary>Keras ReLU: x below threshold becomes negative_slope * (x - threshold), capped at max_value (keras/src/activations/activations.py relu).</summary>
        public string Relu(ReLUSpec spec)
        {
            var (slope, max, threshold) = (spec.NegativeSlope, spec.MaxValue, spec.Threshold);
            if (slope == 0 && threshold == 0 && max == 6) return $"F.relu6({Input})";
            var expression = slope == 0 && threshold == 0 ? $"F.relu({Input})"
                : $"torch.where({Input} >= {Literal(threshold)}, {Input}, ({Input} - {Literal(threshold)}) * {Literal(slope)})";
            return max is { } cap ? $"{expression}.clamp_max({Literal(cap)})" : expression;
        }

        /// <summary>Flatten; with data_format channels_first Keras moves the channels last first (keras/src/layers/reshaping/flatten.py).</summary>
        public string[] Flatten(FlattenSpec spec) => spec.ChannelsFirst
            ? Unary($"{Helper(CSharpHelpers.ChannelsLast)}({Input}).reshape({Input}.shape[0], -1)")
            : Unary($"{Input}.reshape({Input}.shape[0], -1)");

        /// <summary>ZeroPadding1D/2D/3D: an int, one (before, after) pair or one per spatial axis.</summary>
        public string[] ZeroPadding(ZeroPaddingSpec spec)
        {
            // F.pad lists the last axis first: channels_last tensors have the channel axis there.
            var pad = new List<long>();
            if (!spec.ChannelsFirst) pad.AddRange([0, 0]);
            for (int i = spec.Rank - 1; i >= 0; i--) pad.AddRange([spec.Padding[i].Before, spec.Padding[i].After]);
            return Unary($"F.pad({Input}, {Longs(pad)})");
        }

        /// <summary>Cropping1D/2D/3D: narrows each spatial axis by its (before, after) crop, as a view.</summary>
        public string[] Cropping(CroppingSpec spec)
        {
            var x = Input;
            for (int i = 0; i < spec.Rank; i++)
            {
                var ((before, after), axis) = (spec.Cropping[i], spec.FirstSpatialAxis + i);
                if (before != 0 || after != 0) x = $"{x}.narrow({axis}, {before}, {Input}.shape[{axis}] - {before + after})";
            }
            return Unary(x);
        }

        /// <summary>UpSampling1D/2D/3D with nearest interpolation: each spatial axis repeats its cells (keras/src/layers/reshaping/up_sampling2d.py).</summary>
        public string[] UpSampling(UpSamplingSpec spec)
        {
            if (spec.Interpolation != "nearest") throw Unsupported($"interpolation '{spec.Interpolation}'");
            var x = Input;
            for (int i = 0; i < spec.Rank; i++)
                if (spec.Size[i] != 1) x = $"{x}.repeat_interleave({spec.Size[i]}, {spec.FirstSpatialAxis + i})";
            return Unary(x);
        }

        /// <summary>
        /// LayerNormalization over the last axis: (x - mean) / sqrt(var + epsilon) * gamma + beta with the biased variance
        /// (keras/src/layers/normalization/layer_normalization.py), as torch's LayerNorm or, without gamma and beta, F.layer_norm.
        /// </summary>
        public string[] LayerNormalization(LayerNormalizationSpec spec)
        {
            if (spec.Axes is not [-1]) throw Unsupported("normalizes over an axis other than the last (-1)");
            if (spec.RmsScaling) throw Unsupported("rms_scaling=True");
            bool center = spec.Center, scale = spec.Scale;
            var epsilon = Literal(spec.Epsilon);
            if (!center && !scale) return Unary($"F.layer_norm({Input}, [{Input}.shape[^1]], eps: {epsilon})");
            if (center != scale) throw Unsupported("only one of center and scale");
            var gamma = Weight(0, 2);
            var field = Field("", "LayerNorm", $"LayerNorm([{gamma.Length}], eps: {epsilon})", ("weight", gamma), ("bias", layer.Weights[1].Value));
            return Unary($"{field}.forward({Input})");
        }

        /// <summary>
        /// Normalization (preprocessing) along one axis or none, from its adapted weights (mean, variance, count) or the
        /// mean and variance its config gives.
        /// </summary>
        public string[] Normalization(NormalizationSpec spec)
        {
            if (spec.Axes.Length > 1) throw Unsupported("normalizes over several axes");
            float[] mean, variance;
            if (layer.Weights.Count == 3) (mean, variance) = (layer.Weights[0].Value.ToFloats(), layer.Weights[1].Value.ToFloats());
            else if (spec.Mean is { } m && spec.Variance is { } v) (mean, variance) = (m.Data, v.Data);
            else throw Unsupported("neither adapted weights nor a mean and variance in its config");
            var field = Field("", Helper(CSharpHelpers.KerasNormalization),
                $"new {CSharpHelpers.KerasNormalization}({mean.Length}, axis: {(spec.Axes.Length == 0 ? "null" : spec.Axes[0].ToString(CultureInfo.InvariantCulture))}, invert: {Lower(spec.Invert)})",
                ("mean", NdArray.Of(mean, mean.Length)), ("variance", NdArray.Of(variance, variance.Length)));
            return Unary($"{field}.forward({Input})");
        }

        /// <summary>A scalar config number as a C# literal; a per-channel list is not translated.</summary>
        public string Scalar(ScalarOrList value) => value.IsList ? throw Unsupported("a per-channel list where a number is expected") : Literal(value.Values[0]);

        public string[] Embedding(EmbeddingSpec spec)
        {
            if (spec.MaskZero) throw Unsupported("mask_zero=True: masks are not translated");
            var table = Weight(0, 1);
            var field = Field("", "Embedding", $"Embedding({table.Shape[0]}, {table.Shape[1]})", ("weight", table));
            return Unary($"{field}.forward({Input}.to_type(ScalarType.Int64))");
        }

        /// <summary>
        /// LSTM, GRU and SimpleRNN. With torch's activations (tanh and sigmoid gates; SimpleRNN tanh or relu) and, for a GRU,
        /// reset_after=True, they become torch's batch-first nn.LSTM/GRU/RNN: Keras's kernel (in, gates * units) and
        /// recurrent kernel (units, gates * units) become weight_ih/weight_hh (gates * units, in), Keras's one bias goes to
        /// bias_ih with bias_hh zero (GRU: its input and recurrent biases), GRU gates z,r,h reordered to r,z,n. Otherwise the
        /// <see cref="CSharpHelpers.KerasRecurrent"/> step loop runs on the Keras-layout weights. go_backwards reverses the
        /// time axis first, and the reversed sequence is what Keras returns. Outputs: the last step or the sequence, then
        /// the states if return_state.
        /// </summary>
        public string[] Recurrent(CellSpec spec, RecurrentOptions options)
        {
            string cls = spec switch { LSTMCellSpec => "LSTM", GRUCellSpec => "GRU", _ => "SimpleRNN" };
            if (options.Stateful || options.TimeMajor) throw Unsupported("stateful or time_major recurrence");
            bool bias = spec.UseBias;
            bool resetAfter = spec is GRUCellSpec { ResetAfter: true };
            var (activation, gate, gates) = (spec.Activation, spec.RecurrentActivation, spec.Gates);
            bool torchCompatible = cls == "SimpleRNN" ? activation is "tanh" or "relu" : activation == "tanh" && gate == "sigmoid" && (cls == "LSTM" || resetAfter);
            var kernel = Weight(0, bias ? 3 : 2);
            var recurrent = layer.Weights[1].Value;
            long units = recurrent.Shape[0], inputs = kernel.Shape[0];
            if (kernel.Shape.Length != 2 || kernel.Shape[1] != gates * units) throw Unsupported($"kernel of shape ({string.Join(", ", kernel.Shape)}) for {units} units");
            string field;
            if (torchCompatible)
            {
                int[] order = cls == "GRU" ? [1, 0, 2] : [.. Enumerable.Range(0, gates)];
                var state = new List<(string, NdArray)>
                {
                    ("weight_ih_l0", TorchLayout.Transpose2D(TorchLayout.Gates(kernel, gates, order))),
                    ("weight_hh_l0", TorchLayout.Transpose2D(TorchLayout.Gates(recurrent, gates, order))),
                };
                if (bias)
                {
                    var b = layer.Weights[2].Value;
                    // reset_after stores (2, G·u) rows, the cuDNN layers a (2·G·u) vector: input, then recurrent bias.
                    var (inputBias, recurrentBias) = b.Shape.Length == 2 ? (TorchLayout.Row(b, 0), TorchLayout.Row(b, 1))
                        : spec.CuDnn ? (TorchLayout.Row(NdArray.Of(b.ToFloats(), 2, b.Length / 2), 0), TorchLayout.Row(NdArray.Of(b.ToFloats(), 2, b.Length / 2), 1))
                        : (b, NdArray.Of(new float[b.Length], b.Length));
                    state.Add(("bias_ih_l0", TorchLayout.Gates(inputBias, gates, order)));
                    state.Add(("bias_hh_l0", TorchLayout.Gates(recurrentBias, gates, order)));
                }
                var create = cls == "SimpleRNN"
                    ? $"RNN({inputs}, {units}, nonLinearity: NonLinearities.{(activation == "relu" ? "ReLU" : "Tanh")}, bias: {Lower(bias)}, batchFirst: true)"
                    : $"{cls}({inputs}, {units}, bias: {Lower(bias)}, batchFirst: true)";
                field = Field("", cls == "SimpleRNN" ? "RNN" : cls, create, [.. state]);
            }
            else
            {
                if (bias && layer.Weights[2].Value.Shape.Length != (resetAfter ? 2 : 1)) throw Unsupported("a bias whose shape does not fit reset_after");
                field = Field("", Helper(CSharpHelpers.KerasRecurrent),
                    $"new {CSharpHelpers.KerasRecurrent}(\"{cls}\", {inputs}, {units}, v => {ActivationNamed("v", activation)}, v => {(cls == "SimpleRNN" ? "v" : ActivationNamed("v", gate))}, useBias: {Lower(bias)}, resetAfter: {Lower(resetAfter)})",
                    [("kernel", kernel), ("recurrent_kernel", recurrent), .. bias ? new[] { ("bias", layer.Weights[2].Value) } : []]);
            }
            bool sequences = options.ReturnSequences, returnState = options.ReturnState;
            var x = options.GoBackwards ? $"{Input}.flip(1)" : Input;
            module.Forward.Add($"// {CSharpNames.Comment(layer.Name)} ({cls}{(sequences ? ", return_sequences" : "")}{(returnState ? ", return_state" : "")})");
            string sequence, hidden, cell = "";
            if (torchCompatible)
            {
                (sequence, hidden) = (NewLocal("_sequence"), NewLocal("_h"));
                if (cls == "LSTM")
                {
                    cell = NewLocal("_c");
                    module.Forward.Add($"var ({sequence}, {hidden}, {cell}) = {field}.forward({x});");
                    cell += "[0]";
                }
                else module.Forward.Add($"var ({sequence}, {hidden}) = {field}.forward({x}{(cls == "SimpleRNN" ? ", null" : "")});");
                hidden += "[0]";
            }
            else
            {
                var results = NewLocal("_results");
                module.Forward.Add($"var {results} = {field}.forward({x});");
                (sequence, hidden, cell) = ($"{results}[0]", $"{results}[1]", cls == "LSTM" ? $"{results}[2]" : "");
            }
            string[] result = cls == "LSTM" ? [sequences ? sequence : hidden, hidden, cell] : [sequences ? sequence : hidden, hidden];
            // Name each output once, so that later layers read a plain local.
            var labels = cls == "LSTM" ? new[] { "_out", "_state_h", "_state_c" } : ["_out", "_state"];
            var named = new List<string>();
            for (int i = 0; i < (returnState ? result.Length : 1); i++)
            {
                if (result[i] == sequence && !sequence.Contains('[')) { named.Add(sequence); continue; }
                var local = NewLocal(labels[i]);
                module.Forward.Add($"var {local} = {result[i]};");
                named.Add(local);
            }
            return [.. named];
        }

        static string Lower(bool value) => value ? "true" : "false";
    }
}
