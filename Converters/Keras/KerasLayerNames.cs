namespace KerasPort.Converters.Keras;

/// <summary>
/// The class names of Keras's own layers, every generation: what tells a real Keras layer that KerasPort does not
/// support yet (e.g. <c>TextVectorization</c>) from a custom class that only its author's Python code defines.
/// </summary>
public static class KerasLayerNames
{
    /// <summary>True if <paramref name="className"/> names a layer class of Keras 3, Keras 2, tf.keras or Keras 1.</summary>
    public static bool IsKerasLayer(string className) => All.Contains(className);

    /// <summary>
    /// Keras 3.15.1's layer classes: each class under keras/src/layers exported as <c>keras.layers.NAME</c> (its class
    /// name and every exported alias), plus the four exported from keras/src/export and keras/src/utils.
    /// </summary>
    public static IReadOnlyList<string> Keras3 => keras3;

    /// <summary>
    /// Layer classes of Keras 1, Keras 2 and tf.keras 2 that Keras 3 dropped or renamed (Keras 1's <c>Merge</c> and
    /// <c>Convolution2D</c> family, tf.keras's op layers and experimental preprocessing, CuDNN recurrent layers).
    /// </summary>
    public static IReadOnlyList<string> Legacy => legacy;

    static readonly string[] keras3 =
    [
        "Activation", "ActivityRegularization", "AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D",
        "AdaptiveAveragePooling3D", "AdaptiveMaxPooling1D", "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D", "Add",
        "AdditiveAttention", "AlphaDropout", "Attention", "AugMix", "AutoContrast", "Average", "AveragePooling1D",
        "AveragePooling2D", "AveragePooling3D", "AvgPool1D", "AvgPool2D", "AvgPool3D", "BatchNormalization",
        "Bidirectional", "CategoryEncoding", "CenterCrop", "Concatenate",
        "ContrastLimitedAdaptiveHistogramEqualization", "Conv1D", "Conv1DTranspose", "Conv2D", "Conv2DTranspose",
        "Conv3D", "Conv3DTranspose", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "Convolution1D",
        "Convolution1DTranspose", "Convolution2D", "Convolution2DTranspose", "Convolution3D",
        "Convolution3DTranspose", "Cropping1D", "Cropping2D", "Cropping3D", "CutMix", "Dense", "DepthwiseConv1D",
        "DepthwiseConv2D", "Discretization", "Dot", "Dropout", "ELU", "EinsumDense", "Embedding", "Equalization",
        "Flatten", "FlaxLayer", "GRU", "GRUCell", "GaussianDropout", "GaussianNoise", "GlobalAveragePooling1D",
        "GlobalAveragePooling2D", "GlobalAveragePooling3D", "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D",
        "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D",
        "GlobalMaxPooling3D", "GroupNormalization", "GroupQueryAttention", "GroupedQueryAttention",
        "HashedCrossing", "Hashing", "Identity", "InputLayer", "IntegerLookup", "JaxLayer", "LSTM", "LSTMCell",
        "Lambda", "Layer", "LayerNormalization", "LeakyReLU", "Masking", "MaxNumBoundingBoxes", "MaxPool1D",
        "MaxPool2D", "MaxPool3D", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "Maximum", "MelSpectrogram",
        "Minimum", "MixUp", "MultiHeadAttention", "Multiply", "Normalization", "PReLU", "Permute", "Pipeline",
        "RMSNormalization", "RNN", "RandAugment", "RandomBrightness", "RandomColorDegeneration",
        "RandomColorJitter", "RandomContrast", "RandomCrop", "RandomElasticTransform", "RandomErasing",
        "RandomFlip", "RandomGaussianBlur", "RandomGrayscale", "RandomHue", "RandomInvert", "RandomPerspective",
        "RandomPosterization", "RandomRotation", "RandomSaturation", "RandomSharpness", "RandomShear",
        "RandomTranslation", "RandomZoom", "ReLU", "RepeatVector", "Rescaling", "Reshape", "Resizing",
        "ReversibleEmbedding", "STFTSpectrogram", "SeparableConv1D", "SeparableConv2D", "SeparableConvolution1D",
        "SeparableConvolution2D", "SimpleRNN", "SimpleRNNCell", "Softmax", "Solarization", "SpatialDropout1D",
        "SpatialDropout2D", "SpatialDropout3D", "SpectralNormalization", "StackedRNNCells", "StringLookup",
        "Subtract", "TFSMLayer", "TextVectorization", "TimeDistributed", "TorchModuleWrapper", "UnitNormalization",
        "UpSampling1D", "UpSampling2D", "UpSampling3D", "Wrapper", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D"
    ];

    static readonly string[] legacy =
    [
        "AbstractRNNCell", "AtrousConvolution1D", "AtrousConvolution2D", "CategoryCrossing", "ConvRNN2D",
        "CuDNNGRU", "CuDNNLSTM", "Deconv2D", "Deconv3D", "Deconvolution2D", "Deconvolution3D", "DenseFeatures",
        "Highway", "LocallyConnected1D", "LocallyConnected2D", "MaxoutDense", "Merge", "ParametricSoftplus",
        "PeepholeLSTMCell", "PreprocessingLayer", "RandomFourierFeatures", "RandomHeight", "RandomWidth",
        "Recurrent", "SReLU", "SequenceFeatures", "SlicingOpLambda", "SyncBatchNormalization", "TFOpLambda",
        "TensorFlowOpLayer", "ThresholdedReLU", "TimeDistributedDense"
    ];

    // Last: static initializers run in file order, after the two lists above.
    /// <summary>Every name: <see cref="Keras3"/> and <see cref="Legacy"/>.</summary>
    public static IReadOnlySet<string> All { get; } = Keras3.Concat(Legacy).ToHashSet(StringComparer.Ordinal);
}
