using System.Globalization;
using System.Text.Json.Nodes;
using KerasPort.Converters.Keras;
using KerasPort.Converters.Model;

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
    /// <summary>Layers that compute nothing at inference; Dropout itself is emitted as <c>F.dropout</c> so that training mode keeps it.</summary>
    static readonly HashSet<string> Identity =
    [
        "Identity", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise", "GaussianDropout", "AlphaDropout", "ActivityRegularization",
    ];

    static readonly Dictionary<string, string> Merges = new(StringComparer.Ordinal)
    {
        ["Add"] = " + ", ["Subtract"] = " - ", ["Multiply"] = " * ",
    };

    /// <summary>
    /// Emits call <paramref name="nodeIndex"/> of <paramref name="layer"/> (arguments <paramref name="node"/>, tensors
    /// named by <paramref name="resolve"/>) and returns the locals holding its outputs.
    /// </summary>
    public static string[] Emit(ModuleBuilder module, LayerDescription layer, InboundNode node, int nodeIndex, Func<TensorRef, string> resolve)
    {
        var call = new Call(module, layer, node, nodeIndex, resolve);
        if (layer.IsOp)
            return layer.ClassName switch
            {
                "Add" or "Subtract" or "Multiply" or "Divide" or "TrueDivide" => call.Unary(string.Join(layer.ClassName switch
                {
                    "Add" => " + ", "Subtract" => " - ", "Multiply" => " * ", _ => " / ",
                }, call.Operands(node, resolve)), "keras.ops"),
                _ => throw new UnsupportedLayerException(layer.ClassName, layer.Name, "this keras.ops node has no TorchSharp translation in --emit-csharp yet"),
            };
        KerasQuantization.RequireFloat(layer, "--emit-csharp");
        return layer.ClassName switch
        {
            "Dense" => call.Dense(),
            "Conv1D" or "Conv2D" or "Conv3D" => call.Conv(depthwise: false),
            "DepthwiseConv1D" or "DepthwiseConv2D" => call.Conv(depthwise: true),
            "SeparableConv1D" or "SeparableConv2D" => call.SeparableConv(),
            "MaxPooling1D" or "MaxPooling2D" or "MaxPooling3D" or "MaxPool1D" or "MaxPool2D" or "MaxPool3D" => call.Pool(max: true),
            "AveragePooling1D" or "AveragePooling2D" or "AveragePooling3D" or "AvgPool1D" or "AvgPool2D" or "AvgPool3D" => call.Pool(max: false),
            "GlobalAveragePooling1D" or "GlobalAveragePooling2D" or "GlobalAveragePooling3D" or "GlobalAvgPool1D" or "GlobalAvgPool2D" or "GlobalAvgPool3D" => call.GlobalPool(max: false),
            "GlobalMaxPooling1D" or "GlobalMaxPooling2D" or "GlobalMaxPooling3D" or "GlobalMaxPool1D" or "GlobalMaxPool2D" or "GlobalMaxPool3D" => call.GlobalPool(max: true),
            "BatchNormalization" => call.BatchNormalization(),
            "Activation" => call.Unary(call.Activation(call.Input, "activation")),
            "ReLU" => call.Unary(call.Relu()),
            "LeakyReLU" => call.Unary($"F.leaky_relu({call.Input}, {Literal(call.Number("negative_slope", call.Number("alpha", 0.3)))})"),
            "ELU" => call.Unary($"F.elu({call.Input}, {Literal(call.Number("alpha", 1.0))})"),
            "Softmax" => call.Unary($"F.softmax({call.Input}, {call.Int("axis", -1)})"),
            "Flatten" => call.Flatten(),
            "Reshape" => call.Unary($"{call.Input}.reshape([{call.Input}.shape[0], {string.Join(", ", call.Ints("target_shape") ?? throw call.Unsupported("no target_shape"))}])"),
            "Permute" => call.Unary($"{call.Input}.permute({Longs([0, .. call.Ints("dims") ?? throw call.Unsupported("no dims")])})"),
            "RepeatVector" => call.Unary($"{call.Input}.unsqueeze(1).repeat({Longs([1, call.Int("n", 1), 1])})"),
            "Dropout" => call.Unary($"F.dropout({call.Input}, {Literal(call.Number("rate", 0.5))}, training)"),
            var c when Identity.Contains(c) => call.Pass(),
            "Add" or "Subtract" or "Multiply" => call.Unary(string.Join(Merges[layer.ClassName], call.Inputs)),
            "Average" => call.Unary($"({string.Join(" + ", call.Inputs)}) / {call.Inputs.Count}"),
            "Maximum" or "Minimum" => call.Unary(call.Inputs.Skip(1).Aggregate(call.Inputs[0], (a, b) => $"torch.{layer.ClassName.ToLowerInvariant()}({a}, {b})")),
            "Concatenate" => call.Unary($"torch.cat(new[] {{ {string.Join(", ", call.Inputs)} }}, {call.Int("axis", -1)})"),
            "ZeroPadding1D" or "ZeroPadding2D" or "ZeroPadding3D" => call.ZeroPadding(),
            "Cropping1D" or "Cropping2D" or "Cropping3D" => call.Cropping(),
            "UpSampling1D" or "UpSampling2D" or "UpSampling3D" => call.UpSampling(),
            "Rescaling" => call.Unary($"{call.Input} * {Literal(call.Number("scale", 1))} + {Literal(call.Number("offset", 0))}"),
            "LayerNormalization" => call.LayerNormalization(),
            "Normalization" => call.Normalization(),
            "Embedding" => call.Embedding(),
            "LSTM" or "GRU" or "SimpleRNN" => call.Recurrent(),
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

        // ---- config access ----

        public double Number(string key, double fallback) => Config[key] is JsonValue v && v.TryGetValue<double>(out var d) ? d : fallback;

        public int Int(string key, int fallback) => Config[key] is JsonValue v && v.TryGetValue<int>(out var i) ? i
            : Config[key] is JsonArray { Count: 1 } list && list[0] is JsonValue single && single.TryGetValue<int>(out var one) ? one : fallback;

        bool Bool(string key, bool fallback) => Config[key] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : fallback;

        string? Text(string key) => Config[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

        public long[]? Ints(string key) => Config[key] switch
        {
            JsonArray list => list.Select(n => n is JsonValue v && v.TryGetValue<long>(out var l) ? l : throw Unsupported($"'{key}' holds a non-integer")).ToArray(),
            JsonValue single when single.TryGetValue<long>(out var l) => [l],
            _ => null,
        };

        long[] Tuple(string key, int rank, long[]? fallback)
        {
            var values = Ints(key) ?? fallback ?? throw Unsupported($"no '{key}'");
            return values.Length == rank ? values : values.Length == 1 ? Enumerable.Repeat(values[0], rank).ToArray() : throw Unsupported($"'{key}' has {values.Length} entries for {rank} spatial axes");
        }

        int Rank => layer.ClassName.Contains("1D", StringComparison.Ordinal) ? 1 : layer.ClassName.Contains("3D", StringComparison.Ordinal) ? 3 : 2;

        bool ChannelsFirst => Text("data_format") == "channels_first";

        string Padding => (Text("padding") ?? "valid").ToLowerInvariant() switch
        {
            var p and ("valid" or "same" or "causal") => p,
            var other => throw Unsupported($"padding '{other}'"),
        };

        /// <summary>
        /// The activation under <paramref name="key"/> applied to <paramref name="x"/> (keras/src/activations; hard_sigmoid
        /// is clip(0.2x + 0.5, 0, 1) in Keras 1/2 and relu6(x + 3) / 6 in Keras 3).
        /// </summary>
        public string Activation(string x, string key)
        {
            var name = Config[key] switch
            {
                JsonValue v => (string?)v,
                JsonObject { } o when o["config"] is JsonValue named => (string?)named,
                JsonObject o => (string?)o["config"]?["name"] ?? (string?)o["class_name"],
                _ => null,
            } ?? "linear";
            return name switch
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
        }

        // ---- layers ----

        public string[] Dense()
        {
            bool bias = Bool("use_bias", true);
            var kernel = Weight(0, bias ? 2 : 1);
            if (kernel.Shape.Length != 2) throw Unsupported($"kernel of rank {kernel.Shape.Length}");
            var field = Field("", "Linear", $"Linear({kernel.Shape[0]}, {kernel.Shape[1]}, hasBias: {Lower(bias)})",
                [("weight", TorchLayout.Transpose2D(kernel)), .. bias ? new[] { ("bias", layer.Weights[1].Value) } : []]);
            return Unary(Activation($"{field}.forward({Input})", "activation"));
        }

        /// <summary>
        /// Conv1D/2D/3D (groups, dilation) and DepthwiseConv1D/2D, which is a grouped convolution with one group per input
        /// channel and depth_multiplier outputs each (output channel c * multiplier + m, as Keras orders them).
        /// </summary>
        public string[] Conv(bool depthwise)
        {
            int rank = Rank;
            bool bias = Bool("use_bias", true);
            var kernel = Weight(0, bias ? 2 : 1);
            if (kernel.Shape.Length != rank + 2) throw Unsupported($"kernel of rank {kernel.Shape.Length} for {rank} spatial axes");
            long[] size = kernel.Shape[..rank];
            long inputs, outputs, groups;
            NdArray weight;
            if (depthwise)
            {
                (inputs, groups, outputs) = (kernel.Shape[rank], kernel.Shape[rank], kernel.Shape[rank] * kernel.Shape[rank + 1]);
                weight = TorchLayout.DepthwiseKernel(kernel);
            }
            else
            {
                groups = Int("groups", 1);
                (inputs, outputs) = (kernel.Shape[rank] * groups, kernel.Shape[rank + 1]);
                weight = TorchLayout.ConvKernel(kernel);
            }
            var strides = Tuple("strides", rank, [1]);
            var dilation = Tuple("dilation_rate", rank, [1]);
            var field = Field("", $"Conv{rank}d", $"Conv{rank}d({inputs}, {outputs}, {Geometry(size, strides, dilation)}, groups: {groups}, bias: {Lower(bias)})",
                [("weight", weight), .. bias ? new[] { ("bias", layer.Weights[1].Value) } : []]);
            return Unary(Activation(FromTorch($"{field}.forward({Pad(ToTorch(Input), size, strides, dilation)})"), "activation"));
        }

        /// <summary>SeparableConv1D/2D: a depthwise convolution without bias, then a 1x1 convolution with the bias.</summary>
        public string[] SeparableConv()
        {
            int rank = Rank;
            bool bias = Bool("use_bias", true);
            var depthwise = Weight(0, bias ? 3 : 2);
            var pointwise = layer.Weights[1].Value;
            long channels = depthwise.Shape[rank], expanded = channels * depthwise.Shape[rank + 1], outputs = pointwise.Shape[^1];
            long[] size = depthwise.Shape[..rank], ones = Enumerable.Repeat(1L, rank).ToArray();
            var strides = Tuple("strides", rank, [1]);
            var dilation = Tuple("dilation_rate", rank, [1]);
            var first = Field("_depthwise", $"Conv{rank}d", $"Conv{rank}d({channels}, {expanded}, {Geometry(size, strides, dilation)}, groups: {channels}, bias: false)",
                ("weight", TorchLayout.DepthwiseKernel(depthwise)));
            var second = Field("_pointwise", $"Conv{rank}d", $"Conv{rank}d({expanded}, {outputs}, {Geometry(ones, ones, ones)}, bias: {Lower(bias)})",
                [("weight", TorchLayout.ConvKernel(pointwise)), .. bias ? new[] { ("bias", layer.Weights[2].Value) } : []]);
            return Unary(Activation(FromTorch($"{second}.forward({first}.forward({Pad(ToTorch(Input), size, strides, dilation)}))"), "activation"));
        }

        /// <summary>TorchSharp's ConvNd arguments: scalars for 1D, tuples otherwise.</summary>
        static string Geometry(long[] size, long[] strides, long[] dilation) => size.Length == 1
            ? $"kernel_size: {size[0]}, stride: {strides[0]}, dilation: {dilation[0]}"
            : $"kernel_size: {TupleText(size)}, stride: {TupleText(strides)}, dilation: {TupleText(dilation)}";

        static string TupleText(long[] values) => "(" + string.Join(", ", values) + ")";

        /// <summary>
        /// Pads torch-layout <paramref name="x"/> as the layer's padding says: 'same' (TensorFlow's asymmetric rule) with
        /// <paramref name="value"/>, 'causal' (dilation * (kernel - 1) cells at the start), 'valid' not at all.
        /// </summary>
        string Pad(string x, long[] size, long[] strides, long[] dilation, string? value = null) => Padding switch
        {
            // A 1-cell window with stride 1 needs no padding.
            "same" when size.All(k => k == 1) && strides.All(s => s == 1) => x,
            "same" => $"{Helper(CSharpHelpers.SamePad)}({x}, {Longs(size)}, {Longs(strides)}, {Longs(dilation)}{(value is null ? "" : ", " + value)})",
            "causal" when size.Length == 1 => $"F.pad({x}, {Longs([dilation[0] * (size[0] - 1), 0])})",
            "causal" => throw Unsupported("padding 'causal' is for 1D layers"),
            _ => x,
        };

        string ToTorch(string x) => ChannelsFirst ? x : $"{Helper(CSharpHelpers.ChannelsFirst)}({x})";

        string FromTorch(string x) => ChannelsFirst ? x : $"{Helper(CSharpHelpers.ChannelsLast)}({x})";

        /// <summary>Max and average pooling; strides default to the pool size (keras/src/layers/pooling/base_pooling.py).</summary>
        public string[] Pool(bool max)
        {
            int rank = Rank;
            var size = Tuple("pool_size", rank, null);
            var strides = Ints("strides") is { } given ? Tuple("strides", rank, given) : size;
            var ones = Enumerable.Repeat(1L, rank).ToArray();
            string pooled = max
                ? $"{Helper(CSharpHelpers.MaxPool)}({Pad(ToTorch(Input), size, strides, ones, "double.NegativeInfinity")}, {Longs(size)}, {Longs(strides)})"
                : Padding == "same"
                    ? $"{Helper(CSharpHelpers.AvgPoolSame)}({ToTorch(Input)}, {Longs(size)}, {Longs(strides)})"
                    : $"{Helper(CSharpHelpers.AvgPool)}({ToTorch(Input)}, {Longs(size)}, {Longs(strides)})";
            return Unary(FromTorch(pooled));
        }

        public string[] GlobalPool(bool max)
        {
            int rank = Rank;
            var axes = Enumerable.Range(ChannelsFirst ? 2 : 1, rank).Select(a => (long)a);
            var keep = Lower(Bool("keepdims", false));
            return Unary(max ? $"{Input}.amax({Longs(axes)}, keepdim: {keep})" : $"{Input}.mean({Longs(axes)}, keepdim: {keep})");
        }

        public string[] BatchNormalization()
        {
            bool center = Bool("center", true), scale = Bool("scale", true);
            int count = 2 + (center ? 1 : 0) + (scale ? 1 : 0);
            Weight(0, count);
            var axis = Ints("axis") is [var single] ? single : throw Unsupported("normalizes over several axes");
            var names = new List<string>();
            if (scale) names.Add("gamma");
            if (center) names.Add("beta");
            names.AddRange(["moving_mean", "moving_variance"]);
            long features = layer.Weights[^1].Value.Length;
            var field = Field("", CSharpHelpers.KerasBatchNorm,
                $"new {Helper(CSharpHelpers.KerasBatchNorm)}({features}, axis: {axis}, epsilon: {Literal(Number("epsilon", 1e-3))}, center: {Lower(center)}, scale: {Lower(scale)})",
                names.Select((n, i) => (n, layer.Weights[i].Value)).ToArray());
            return Unary($"{field}.forward({Input})");
        }

        /// <summary>Keras ReLU: x below threshold becomes negative_slope * (x - threshold), capped at max_value (keras/src/activations/activations.py relu).</summary>
        public string Relu()
        {
            double slope = Number("negative_slope", 0), threshold = Number("threshold", 0);
            double? max = Config["max_value"] is JsonValue v && v.TryGetValue<double>(out var m) ? m : null;
            if (slope == 0 && threshold == 0 && max == 6) return $"F.relu6({Input})";
            var expression = slope == 0 && threshold == 0 ? $"F.relu({Input})"
                : $"torch.where({Input} >= {Literal(threshold)}, {Input}, ({Input} - {Literal(threshold)}) * {Literal(slope)})";
            return max is { } cap ? $"{expression}.clamp_max({Literal(cap)})" : expression;
        }

        /// <summary>Flatten; with data_format channels_first Keras moves the channels last first (keras/src/layers/reshaping/flatten.py).</summary>
        public string[] Flatten() => ChannelsFirst
            ? Unary($"{Helper(CSharpHelpers.ChannelsLast)}({Input}).reshape({Input}.shape[0], -1)")
            : Unary($"{Input}.reshape({Input}.shape[0], -1)");

        /// <summary>A (before, after) pair per spatial axis from an int, one pair (1D) or a value or pair per axis.</summary>
        List<(long Before, long After)> Pairs(string key, int rank) => Config[key] switch
        {
            JsonValue v when v.TryGetValue<long>(out var p) => Enumerable.Repeat((p, p), rank).ToList(),
            JsonArray a when a.All(e => e is JsonArray) && a.Count == rank => a.Select(e => ((long)e![0]!, (long)e[1]!)).ToList(),
            JsonArray a when rank == 1 && a.Count == 2 => [((long)a[0]!, (long)a[1]!)],
            JsonArray a when a.Count == rank => a.Select(e => ((long)e!, (long)e!)).ToList(),
            _ => throw Unsupported($"unreadable '{key}'"),
        };

        /// <summary>The tensor axis of spatial axis <paramref name="i"/>.</summary>
        int SpatialAxis(int i) => ChannelsFirst ? i + 2 : i + 1;

        /// <summary>ZeroPadding1D/2D/3D: an int, one (before, after) pair or one per spatial axis.</summary>
        public string[] ZeroPadding()
        {
            int rank = Rank;
            var pairs = Pairs("padding", rank);
            // F.pad lists the last axis first: channels_last tensors have the channel axis there.
            var pad = new List<long>();
            if (!ChannelsFirst) pad.AddRange([0, 0]);
            for (int i = rank - 1; i >= 0; i--) pad.AddRange([pairs[i].Item1, pairs[i].Item2]);
            return Unary($"F.pad({Input}, {Longs(pad)})");
        }

        /// <summary>Cropping1D/2D/3D: narrows each spatial axis by its (before, after) crop, as a view.</summary>
        public string[] Cropping()
        {
            int rank = Rank;
            var pairs = Pairs("cropping", rank);
            var x = Input;
            for (int i = 0; i < rank; i++)
                if (pairs[i].Before != 0 || pairs[i].After != 0)
                    x = $"{x}.narrow({SpatialAxis(i)}, {pairs[i].Before}, {Input}.shape[{SpatialAxis(i)}] - {pairs[i].Before + pairs[i].After})";
            return Unary(x);
        }

        /// <summary>UpSampling1D/2D/3D with nearest interpolation: each spatial axis repeats its cells (keras/src/layers/reshaping/up_sampling2d.py).</summary>
        public string[] UpSampling()
        {
            int rank = Rank;
            if ((Text("interpolation") ?? "nearest") != "nearest") throw Unsupported($"interpolation '{Text("interpolation")}'");
            var size = Tuple("size", rank, [2]);
            var x = Input;
            for (int i = 0; i < rank; i++)
                if (size[i] != 1) x = $"{x}.repeat_interleave({size[i]}, {SpatialAxis(i)})";
            return Unary(x);
        }

        /// <summary>
        /// LayerNormalization over the last axis: (x - mean) / sqrt(var + epsilon) * gamma + beta with the biased variance
        /// (keras/src/layers/normalization/layer_normalization.py), as torch's LayerNorm or, without gamma and beta, F.layer_norm.
        /// </summary>
        public string[] LayerNormalization()
        {
            if (Ints("axis") is not [-1]) throw Unsupported("normalizes over an axis other than the last (-1)");
            if (Bool("rms_scaling", false)) throw Unsupported("rms_scaling=True");
            bool center = Bool("center", true), scale = Bool("scale", true);
            var epsilon = Literal(Number("epsilon", 1e-3));
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
        public string[] Normalization()
        {
            var axes = Ints("axis") ?? [-1];
            if (axes.Length > 1) throw Unsupported("normalizes over several axes");
            NdArray mean, variance;
            if (layer.Weights.Count == 3) (mean, variance) = (layer.Weights[0].Value, layer.Weights[1].Value);
            else if (Config["mean"] is { } m && Config["variance"] is { } v) (mean, variance) = (Values(m), Values(v));
            else throw Unsupported("neither adapted weights nor a mean and variance in its config");
            var field = Field("", Helper(CSharpHelpers.KerasNormalization),
                $"new {CSharpHelpers.KerasNormalization}({mean.Length}, axis: {(axes.Length == 0 ? "null" : axes[0].ToString(CultureInfo.InvariantCulture))}, invert: {Lower(Bool("invert", false))})",
                ("mean", NdArray.Of(mean.ToFloats(), mean.Length)), ("variance", NdArray.Of(variance.ToFloats(), variance.Length)));
            return Unary($"{field}.forward({Input})");
        }

        NdArray Values(JsonNode node)
        {
            var values = node is JsonArray list ? list.Select(e => (float)(double)e!).ToArray() : [(float)(double)node];
            return NdArray.Of(values, values.Length);
        }

        public string[] Embedding()
        {
            if (Bool("mask_zero", false)) throw Unsupported("mask_zero=True: masks are not translated");
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
        public string[] Recurrent()
        {
            string cls = layer.ClassName;
            if (Bool("stateful", false) || Bool("time_major", false)) throw Unsupported("stateful or time_major recurrence");
            bool bias = Bool("use_bias", true);
            bool resetAfter = cls == "GRU" && Bool("reset_after", module.Generation >= 3);
            var activation = Text("activation") ?? "tanh";
            var gate = Text("recurrent_activation") ?? (module.Generation >= 3 ? "sigmoid" : "hard_sigmoid");
            bool torchCompatible = cls == "SimpleRNN" ? activation is "tanh" or "relu" : activation == "tanh" && gate == "sigmoid" && (cls == "LSTM" || resetAfter);
            int gates = cls switch { "LSTM" => 4, "GRU" => 3, _ => 1 };
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
                    var (inputBias, recurrentBias) = b.Shape.Length == 2
                        ? (TorchLayout.Row(b, 0), TorchLayout.Row(b, 1))
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
                    $"new {CSharpHelpers.KerasRecurrent}(\"{cls}\", {inputs}, {units}, v => {Activation("v", "activation")}, v => {(cls == "SimpleRNN" ? "v" : Activation("v", "recurrent_activation"))}, useBias: {Lower(bias)}, resetAfter: {Lower(resetAfter)})",
                    [("kernel", kernel), ("recurrent_kernel", recurrent), .. bias ? new[] { ("bias", layer.Weights[2].Value) } : []]);
            }
            bool sequences = Bool("return_sequences", false), returnState = Bool("return_state", false);
            var x = Bool("go_backwards", false) ? $"{Input}.flip(1)" : Input;
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
