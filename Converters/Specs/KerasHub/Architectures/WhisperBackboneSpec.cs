namespace KerasPort.Specs.KerasHub.Architectures;

/// <summary>
/// The constructor arguments of keras_hub's <c>WhisperBackbone</c> (keras_hub/src/models/whisper/whisper_backbone.py,
/// v0.31.1 <c>__init__</c>): Keras-hub's names and defaults, validated.
/// </summary>
/// <param name="VocabularySize"><c>vocabulary_size</c>.</param>
/// <param name="NumLayers"><c>num_layers</c> of each stack.</param>
/// <param name="NumHeads"><c>num_heads</c>.</param>
/// <param name="HiddenDim"><c>hidden_dim</c>.</param>
/// <param name="IntermediateDim"><c>intermediate_dim</c>.</param>
/// <param name="NumMels"><c>num_mels</c> (80).</param>
/// <param name="Dropout"><c>dropout</c> (0.0).</param>
/// <param name="MaxEncoderSequenceLength"><c>max_encoder_sequence_length</c> (3000; at least 2, as the position embedding has half as many rows).</param>
/// <param name="MaxDecoderSequenceLength"><c>max_decoder_sequence_length</c> (448).</param>
internal sealed record WhisperBackboneSpec(
    int VocabularySize, int NumLayers, int NumHeads, int HiddenDim, int IntermediateDim, int NumMels, double Dropout,
    int MaxEncoderSequenceLength, int MaxDecoderSequenceLength)
{
    /// <summary>Reads a <c>WhisperBackbone</c>'s arguments.</summary>
    public static WhisperBackboneSpec Read(LayerReader arguments) => new(
        arguments.IntAtLeast("vocabulary_size", 0, 1), arguments.IntAtLeast("num_layers", 0, 0), arguments.IntAtLeast("num_heads", 0, 1),
        arguments.IntAtLeast("hidden_dim", 0, 1), arguments.IntAtLeast("intermediate_dim", 0, 1), arguments.IntAtLeast("num_mels", 80, 1),
        arguments.DoubleAtLeast("dropout", 0.0, 0), arguments.IntAtLeast("max_encoder_sequence_length", 3000, 2),
        arguments.IntAtLeast("max_decoder_sequence_length", 448, 1));
}
