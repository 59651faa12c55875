using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>
/// Reads recurrent-layer config entries under every generation's names: Keras 1 writes <c>output_dim</c>,
/// <c>inner_activation</c> and no <c>use_bias</c>; Keras 2 and 3 write <c>units</c>, <c>recurrent_activation</c>
/// and <c>use_bias</c>. CuDNNLSTM/CuDNNGRU (Keras 2) write no activations: cuDNN fixes them to tanh and sigmoid.
/// </summary>
internal static class RecurrentConfig
{
    /// <summary>The number of units (<c>units</c>, Keras 1 <c>output_dim</c>).</summary>
    public static long Units(LayerContext context) =>
        context.Int("units", context.Int("output_dim", -1)) is var units and > 0
            ? units
            : throw new FormatException("config has no positive 'units' (or Keras 1 'output_dim')");

    /// <summary>Whether the cell has a bias (Keras 1 recurrent layers always have one).</summary>
    public static bool UseBias(LayerContext context) => context.Bool("use_bias", true);

    /// <summary>The output activation; tanh when the config names none (every generation's default).</summary>
    public static Func<Tensor, Tensor> Activation(LayerContext context) => Named(context, ActivationName(context));

    /// <summary>The name of <see cref="Activation"/>.</summary>
    public static string ActivationName(LayerContext context) =>
        context.Has("activation") ? context.ActivationName() : "tanh";

    /// <summary>
    /// The gate activation: <c>recurrent_activation</c> (Keras 1 <c>inner_activation</c>). When absent, the
    /// generation's default: hard_sigmoid in Keras 1 and in Keras 2 before 2.3 (keras/layers/recurrent.py),
    /// sigmoid in Keras 3 and for the cuDNN layers.
    /// </summary>
    public static Func<Tensor, Tensor> RecurrentActivation(LayerContext context) => Named(context, RecurrentActivationName(context));

    /// <summary>The name of <see cref="RecurrentActivation"/>.</summary>
    public static string RecurrentActivationName(LayerContext context)
    {
        if (context.Has("recurrent_activation")) return context.ActivationName("recurrent_activation");
        if (context.Has("inner_activation")) return context.ActivationName("inner_activation");
        bool sigmoid = context.Generation == KerasGeneration.Keras3 || IsCuDnn(context);
        return sigmoid ? "sigmoid" : "hard_sigmoid";
    }

    /// <summary>True for Keras 2's CuDNNLSTM/CuDNNGRU (fixed activations, separate input and recurrent biases).</summary>
    public static bool IsCuDnn(LayerContext context) => context.ClassName.StartsWith("CuDNN", StringComparison.Ordinal);

    static Func<Tensor, Tensor> Named(LayerContext context, string name) =>
        Activations.Activations.Resolve(name, context.Generation, context.Name);
}
