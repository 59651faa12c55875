using KerasPort.Converters;
using KerasPort.Runtime;
using static TorchSharp.torch;

namespace KerasPort.Cli.Bench;

/// <summary>
/// A hand-written TorchSharp network equivalent to the benchmarked Keras model, timed beside it to show what
/// KerasPort's generic graph executor costs over plain TorchSharp code.
/// </summary>
internal abstract class Baseline : IDisposable
{
    /// <summary>Parameters as Keras counts them (BatchNorm running statistics included).</summary>
    public abstract long ParamCount { get; }

    /// <summary>How the baseline's count relates to Keras's, printed beside the counts.</summary>
    public abstract string ParamNote { get; }

    /// <summary>Random input for <paramref name="batch"/> samples in the baseline's own layout.</summary>
    public abstract Tensor RandomInput(int batch);

    /// <summary>One inference pass; its temporaries belong to the caller's dispose scope.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>
    /// One timed inference pass as the best TorchSharp code runs it: in inference mode (no autograd, no view or version
    /// tracking), temporaries freed on return.
    /// </summary>
    public void Run(Tensor input)
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        Forward(input);
    }

    /// <summary>Builds the baseline <paramref name="name"/> (<c>resnet50</c>, <c>lstm</c> or <c>transformer</c>) shaped like <paramref name="model"/>.</summary>
    public static Baseline Create(string name, KerasModel model, int unknownDimension) => name switch
    {
        "resnet50" => ResNet50Baseline.For(model, unknownDimension),
        "lstm" => LstmBaseline.For(model, unknownDimension),
        "transformer" => TransformerBaseline.For(model, unknownDimension),
        _ => throw new KerasPortException($"--baseline '{name}': expected resnet50, lstm or transformer"),
    };

    /// <inheritdoc />
    public abstract void Dispose();
}
