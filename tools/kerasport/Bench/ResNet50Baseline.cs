using KerasPort.Converters;
using KerasPort.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace KerasPort.Cli.Bench;

/// <summary>
/// keras.applications.ResNet50 (v1, include_top) written the usual TorchSharp way, NCHW: a 7x7/2 conv with bias,
/// BatchNorm (epsilon 1.001e-5), ReLU, 3x3/2 max pool, bottleneck stages of 3, 4, 6 and 3 blocks whose convs keep
/// their biases as Keras's do (keras/src/applications/resnet.py, <c>block1</c>/<c>stack1</c>), global average
/// pooling and a 1000-way softmax Dense.
/// </summary>
internal sealed class ResNet50Baseline : Baseline
{
    readonly ResNet50 network = new();
    readonly long height;
    readonly long width;

    ResNet50Baseline(long height, long width)
    {
        this.height = height;
        this.width = width;
        network.eval();
    }

    /// <summary>A baseline fed the NCHW equivalent of <paramref name="model"/>'s NHWC image input.</summary>
    public static ResNet50Baseline For(KerasModel model, int unknownDimension)
    {
        if (model.Graph.InputLayers is not [var input] || BenchInputs.Shape(input, 1, unknownDimension) is not [_, var h, var w, 3])
            throw new KerasPortException($"--baseline resnet50 needs a model with one (batch, height, width, 3) image input; '{model.Description.Name}' has another");
        return new ResNet50Baseline(h, w);
    }

    /// <inheritdoc />
    public override long ParamCount =>
        network.parameters().Sum(p => p.numel())
        + network.named_buffers().Where(b => b.name.EndsWith("running_mean") || b.name.EndsWith("running_var")).Sum(b => b.buffer.numel());

    /// <inheritdoc />
    public override string ParamNote => "parameters + BatchNorm running statistics, as Keras counts them";

    /// <inheritdoc />
    public override Tensor RandomInput(int batch) => rand(batch, 3, height, width);

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => network.forward(input);

    /// <inheritdoc />
    public override void Dispose() => network.Dispose();

    /// <summary>The network itself.</summary>
    sealed class ResNet50 : Module<Tensor, Tensor>
    {
        /// <summary>Keras's ResNet BatchNormalization epsilon.</summary>
        internal const double Epsilon = 1.001e-5;

        readonly Conv2d stem;
        readonly BatchNorm2d stemNorm;
        readonly MaxPool2d pool;
        readonly Sequential stages;
        readonly Linear classifier;

        public ResNet50() : base("resnet50")
        {
            stem = Conv2d(3, 64, 7, stride: 2, padding: 3);
            stemNorm = BatchNorm2d(64, eps: Epsilon);
            // Keras zero-pads before this pool, torch pads with -inf: the same after the ReLU (inputs are >= 0).
            pool = MaxPool2d(3, stride: 2, padding: 1);
            stages = Sequential(Stage(64, 64, 3, 1), Stage(256, 128, 4, 2), Stage(512, 256, 6, 2), Stage(1024, 512, 3, 2));
            classifier = Linear(2048, 1000);
            RegisterComponents();
        }

        /// <summary><c>stack1</c>: a block with a projection shortcut (and the stride), then identity blocks.</summary>
        static Sequential Stage(long inChannels, long filters, int blocks, long stride) =>
            Sequential(Enumerable.Range(0, blocks)
                .Select(i => (Module<Tensor, Tensor>)new Bottleneck(i == 0 ? inChannels : 4 * filters, filters, i == 0 ? stride : 1, projection: i == 0))
                .ToArray());

        public override Tensor forward(Tensor input)
        {
            var x = pool.forward(functional.relu(stemNorm.forward(stem.forward(input))));
            x = functional.adaptive_avg_pool2d(stages.forward(x), 1).flatten(1);
            return functional.softmax(classifier.forward(x), 1);
        }
    }

    /// <summary>Keras's <c>block1</c>: 1x1 (strided), 3x3, 1x1 convs with biases and BatchNorm, plus the shortcut.</summary>
    sealed class Bottleneck : Module<Tensor, Tensor>
    {
        readonly Conv2d reduce;
        readonly BatchNorm2d reduceNorm;
        readonly Conv2d spatial;
        readonly BatchNorm2d spatialNorm;
        readonly Conv2d expand;
        readonly BatchNorm2d expandNorm;
        readonly Conv2d? shortcut;
        readonly BatchNorm2d? shortcutNorm;

        public Bottleneck(long inChannels, long filters, long stride, bool projection) : base("bottleneck")
        {
            reduce = Conv2d(inChannels, filters, 1, stride: stride);
            reduceNorm = BatchNorm2d(filters, eps: ResNet50.Epsilon);
            spatial = Conv2d(filters, filters, 3, padding: 1);
            spatialNorm = BatchNorm2d(filters, eps: ResNet50.Epsilon);
            expand = Conv2d(filters, 4 * filters, 1);
            expandNorm = BatchNorm2d(4 * filters, eps: ResNet50.Epsilon);
            if (projection)
            {
                shortcut = Conv2d(inChannels, 4 * filters, 1, stride: stride);
                shortcutNorm = BatchNorm2d(4 * filters, eps: ResNet50.Epsilon);
            }
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            var x = functional.relu(reduceNorm.forward(reduce.forward(input)));
            x = functional.relu(spatialNorm.forward(spatial.forward(x)));
            x = expandNorm.forward(expand.forward(x));
            var identity = shortcut is null ? input : shortcutNorm!.forward(shortcut.forward(input));
            return functional.relu(x + identity);
        }
    }
}
