namespace KerasPort.Converters.Keras;

/// <summary>
/// Brings convolution kernels saved by Keras 1 or trained under Theano into the Keras 2+ layout
/// <c>(k..., in, out)</c>, as Keras 2's <c>preprocess_weights_for_loading</c> did (keras/engine/saving.py):
/// Keras 1 <c>th</c>-ordered kernels <c>(out, in, k...)</c> are transposed, Keras 1 Conv1D kernels lose their
/// dummy axis, and Theano kernels (true convolutions) are flipped spatially. Recurrent layouts (Keras 1 per-gate
/// arrays, cuDNN biases) are converted by the recurrent cells themselves.
/// </summary>
public static class LegacyWeightConverter
{
    /// <summary>
    /// Converts <paramref name="model"/>'s weights, which were saved by Keras <paramref name="weightsKerasVersion"/>
    /// (Keras's rule: "1" when the file records none) with backend <paramref name="backend"/>.
    /// </summary>
    public static ModelDescription Convert(ModelDescription model, string? weightsKerasVersion, string? backend)
    {
        bool keras1 = (weightsKerasVersion ?? "1").StartsWith('1');
        bool theano = backend == "theano";
        if (!keras1 && !theano) return model;
        return model with
        {
            Layers = model.Layers.Select(layer => layer.Nested is { } nested
                ? layer with { Nested = Convert(nested, weightsKerasVersion, backend) }
                : layer.Weights.Count == 0 ? layer
                : layer with { Weights = ConvertLayer(InnerClass(layer), layer, keras1, theano) }).ToList(),
        };
    }

    /// <summary>A TimeDistributed layer's weights are its inner layer's.</summary>
    static string InnerClass(LayerDescription layer) =>
        layer.ClassName == "TimeDistributed" && (string?)layer.Config["layer"]?["class_name"] is { } inner ? inner : layer.ClassName;

    static List<WeightArray> ConvertLayer(string className, LayerDescription layer, bool keras1, bool theano)
    {
        var weights = layer.Weights.ToList();
        var kernel = weights[0].Value;
        bool channelsFirst = (string?)(layer.ClassName == "TimeDistributed" ? layer.Config["layer"]?["config"] : layer.Config)?["data_format"] == "channels_first";
        int spatial;
        switch (className)
        {
            case "Conv1D" when keras1 && kernel.Shape.Length == 4:
                // Keras 1.1+: (k, 1, in, out); Keras 1.0: (out, in, k, 1).
                if (kernel.Shape[1] != 1) kernel = NdArrayLayout.Transpose(kernel, 2, 3, 1, 0);
                kernel = NdArrayLayout.Squeeze(kernel, 1);
                spatial = 1;
                break;
            case "Conv2D" when keras1 && channelsFirst:
                kernel = NdArrayLayout.Transpose(kernel, 2, 3, 1, 0);
                spatial = 2;
                break;
            case "Conv2DTranspose" when keras1:
                kernel = channelsFirst ? NdArrayLayout.Transpose(kernel, 2, 3, 0, 1) : NdArrayLayout.Transpose(kernel, 0, 1, 3, 2);
                spatial = 2;
                break;
            case "Conv3D" when keras1 && channelsFirst:
                kernel = NdArrayLayout.Transpose(kernel, 2, 3, 4, 1, 0);
                spatial = 3;
                break;
            case "Conv1D" or "Conv2D" or "Conv3D" or "Conv2DTranspose":
                spatial = kernel.Shape.Length - 2;
                break;
            default:
                return weights;
        }
        if (theano) kernel = NdArrayLayout.FlipLeading(kernel, spatial);
        weights[0] = weights[0] with { Value = kernel };
        return weights;
    }
}
