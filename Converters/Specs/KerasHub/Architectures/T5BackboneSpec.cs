namespace KerasPort.Specs.KerasHub.Architectures;

/// <summary>
/// The constructor arguments of keras_hub's <c>T5Backbone</c> (keras_hub/src/models/t5/t5_backbone.py, v0.31.1
/// <c>__init__</c>): Keras-hub's names and defaults, validated.
/// </summary>
/// <param name="VocabularySize"><c>vocabulary_size</c>.</param>
/// <param name="NumLayers"><c>num_layers</c> of each stack.</param>
/// <param name="NumHeads"><c>num_heads</c>.</param>
/// <param name="HiddenDim"><c>hidden_dim</c>.</param>
/// <param name="IntermediateDim"><c>intermediate_dim</c>.</param>
/// <param name="KeyValueDim"><c>key_value_dim</c> (None: <c>hidden_dim // num_heads</c>, at least 1).</param>
/// <param name="Dropout"><c>dropout</c> (0.1).</param>
/// <param name="Activation"><c>activation</c> ("relu").</param>
/// <param name="UseGatedActivation"><c>use_gated_activation</c> (True).</param>
/// <param name="LayerNormEpsilon"><c>layer_norm_epsilon</c> (1e-6).</param>
/// <param name="TieEmbeddingWeights"><c>tie_embedding_weights</c> (True).</param>
internal sealed record T5BackboneSpec(
    int VocabularySize, int NumLayers, int NumHeads, int HiddenDim, int IntermediateDim, int KeyValueDim, double Dropout, string Activation,
    bool UseGatedActivation, double LayerNormEpsilon, bool TieEmbeddingWeights)
{
    /// <summary>Reads a <c>T5Backbone</c>'s arguments.</summary>
    public static T5BackboneSpec Read(LayerReader arguments)
    {
        int heads = arguments.IntAtLeast("num_heads", 0, 1), hidden = arguments.IntAtLeast("hidden_dim", 0, 1);
        int keyValueDim = arguments.Has("key_value_dim") ? arguments.IntAtLeast("key_value_dim", 0, 1) : hidden / heads;
        if (keyValueDim < 1) throw arguments.ConfigError("num_heads", $"must not exceed hidden_dim ({hidden}) without a key_value_dim");
        return new(arguments.IntAtLeast("vocabulary_size", 0, 1), arguments.IntAtLeast("num_layers", 0, 0), heads, hidden,
            arguments.IntAtLeast("intermediate_dim", 0, 1), keyValueDim, arguments.DoubleAtLeast("dropout", 0.1, 0),
            arguments.Has("activation") ? arguments.ActivationName() : "relu", arguments.Bool("use_gated_activation", true),
            arguments.DoubleAtLeast("layer_norm_epsilon", 1e-6, 0), arguments.Bool("tie_embedding_weights", true));
    }
}
