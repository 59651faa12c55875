using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.Ops;

/// <summary>The <c>keras.ops.not_equal</c> node Keras 3 writes into functional configs (e.g. to build a mask); the second operand may be a tensor or a constant.</summary>
public sealed class NotEqual : KerasLayer
{
    /// <summary>Builds the node.</summary>
    public NotEqual(LayerContext context) : base(context) { }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var left = arguments.Args[0] as Tensor ?? throw new FormatException($"op '{Name}': first operand is not a tensor");
        return [arguments.Args[1] switch
        {
            Tensor right => left.ne(right),
            JsonValue constant => left.ne((double)constant),
            var other => throw new FormatException($"op '{Name}': unsupported operand {other}"),
        }];
    }

    /// <inheritdoc />
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => null;
}
