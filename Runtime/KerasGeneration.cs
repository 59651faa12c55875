namespace KerasPort.Runtime;

/// <summary>
/// The Keras major version that wrote a model. Some layers and activations compute different things
/// under the same name depending on it (e.g. <c>hard_sigmoid</c>).
/// </summary>
public enum KerasGeneration
{
    /// <summary>Keras 1.x (standalone, Theano or TensorFlow backend).</summary>
    Keras1,

    /// <summary>Keras 2.x, including <c>tf.keras</c> as shipped with TensorFlow 1.x and 2.x.</summary>
    Keras2,

    /// <summary>Keras 3.x (multi-backend Keras, the <c>.keras</c> format).</summary>
    Keras3,
}
