namespace KerasPort.Specs.KerasHub.Architectures;

/// <summary>
/// The constructor arguments of keras_hub's <c>GPT2Backbone</c> (keras_hub/src/models/gpt2/gpt2_backbone.py, v0.31.1
/// <c>__init__</c>): Keras-hub's names and defaults, validated.
/// </summary>
/// <param name="VocabularySize"><c>vocabulary_size</c>.</param>
/// <param name="NumLayers"><c>num_layers</c>.</param>
/// <param name="NumHeads"><c>num_heads</c>.</param>
/// <param name="HiddenDim"><c>hidden_dim</c>.</param>
/// <param name="IntermediateDim"><c>intermediate_dim</c>.</param>
/// <param name="Dropout"><c>dropout</c> (0.1).</param>
/// <param name="MaxSequenceLength"><c>max_sequence_length</c> (1024).</param>
internal sealed record GPT2BackboneSpec(int VocabularySize, int NumLayers, int NumHeads, int HiddenDim, int IntermediateDim, double Dropout, int MaxSequenceLength)
{
    /// <summary>Reads a <c>GPT2Backbone</c>'s arguments.</summary>
    public static GPT2BackboneSpec Read(LayerReader arguments) => new(
        arguments.IntAtLeast("vocabulary_size", 0, 1), arguments.IntAtLeast("num_layers", 0, 0), arguments.IntAtLeast("num_heads", 0, 1),
        arguments.IntAtLeast("hidden_dim", 0, 1), arguments.IntAtLeast("intermediate_dim", 0, 1), arguments.DoubleAtLeast("dropout", 0.1, 0),
        arguments.IntAtLeast("max_sequence_length", 1024, 1));
}
