namespace KerasPort.Specs.Recurrent;

/// <summary>
/// The cell of Keras <c>ConvLSTM1D/2D/3D</c> (keras/src/layers/rnn/conv_lstm.py <c>ConvLSTMCell</c>): an LSTM whose
/// input product is a convolution over <see cref="Window"/> and whose recurrent product is a stride-1 'same' one.
/// </summary>
/// <param name="Window">The input convolution's kernel size, strides, dilation, padding ('valid' or 'same') and data format.</param>
/// <param name="Filters">The state's channel count.</param>
/// <param name="Activation">The output activation, tanh by default.</param>
/// <param name="RecurrentActivation">The gate activation: hard_sigmoid before Keras 3, sigmoid in Keras 3.</param>
/// <param name="UseBias">Whether the cell has a bias.</param>
public sealed record ConvLSTMCellSpec(ConvWindow Window, long Filters, string Activation, string RecurrentActivation, bool UseBias) : LayerSpec
{
    /// <summary>Reads the cell of a ConvLSTM layer's config.</summary>
    public static ConvLSTMCellSpec Read(LayerReader layer)
    {
        var window = ConvWindow.OfConvolution(layer);
        if (window.Padding == PaddingMode.Causal) throw layer.ConfigError("padding", "ConvLSTM supports 'valid' and 'same' only");
        var activation = layer.Has("activation") ? layer.ActivationName() : "tanh";
        var recurrentActivation = layer.Has("recurrent_activation") ? layer.ActivationName("recurrent_activation") : layer.KerasMajor >= 3 ? "sigmoid" : "hard_sigmoid";
        return new(window, Specs.Convolution.ConvolutionConfig.Filters(layer), activation, recurrentActivation, layer.Bool("use_bias", true));
    }

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles =>
        UseBias ? [new("kernel"), new("recurrent_kernel"), new("bias")] : [new("kernel"), new("recurrent_kernel")];
}
