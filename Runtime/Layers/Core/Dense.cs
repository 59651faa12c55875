using KerasPort.Converters;
using static KerasPort.Runtime.KeptScalars;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.Core;

/// <summary>Keras <c>Dense</c>: <c>activation(x @ kernel + bias)</c> on the last axis of an input of any rank. Kernel is <c>[input_dim, units]</c>.</summary>
public sealed class Dense : KerasLayer
{
    readonly Tensor kernel;
    readonly Tensor? bias;
    readonly Func<Tensor, Tensor> activation;

    /// <summary>Builds the layer.</summary>
    public Dense(LayerContext context) : base(context)
    {
        long units = context.Int("units", -1);
        bool useBias = context.Bool("use_bias", true);
        context.ExpectWeightCount(useBias ? 2 : 1);
        kernel = Own(context.Weight(0, "kernel", context.InputDim(-1), units));
        bias = useBias ? Own(context.Weight(1, "bias", units)) : null;
        activation = context.Activation();
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        // libtorch reports a shape error by aborting the process on some platforms (an uncaught c10::Error):
        // check in C# that the kernel fits the input, since the kernel's first axis is unchecked when the file's input shape is unknown.
        if (arguments.Input.shape is [.., var features] && features != kernel.shape[0])
            throw new KerasPortException($"layer '{Name}' (Dense): input has {features} features, the kernel expects {kernel.shape[0]}");
        var y = arguments.Input.MatmulChecked(kernel);
        return [activation(bias is null ? y : y.Plus(bias))];
    }
}
