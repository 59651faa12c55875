namespace KerasPort.Specs.KerasHub.Architectures;

/// <summary>
/// The constructor arguments of keras_hub's <c>BertBackbone</c> (keras_hub/src/models/bert/bert_backbone.py, v0.31.1
/// <c>__init__</c>): Keras-hub's names and defaults, validated.
/// </summary>
/// <param name="VocabularySize"><c>vocabulary_size</c>.</param>
/// <param name="NumLayers"><c>num_layers</c>.</param>
/// <param name="NumHeads"><c>num_heads</c>.</param>
/// <param name="HiddenDim"><c>hidden_dim</c>.</param>
/// <param name="IntermediateDim"><c>intermediate_dim</c>.</param>
/// <param name="Dropout"><c>dropout</c> (0.1).</param>
/// <param name="MaxSequenceLength"><c>max_sequence_length</c> (512).</param>
/// <param name="NumSegments"><c>num_segments</c> (2).</param>
internal sealed record BertBackboneSpec(
    int VocabularySize, int NumLayers, int NumHeads, int HiddenDim, int IntermediateDim, double Dropout, int MaxSequenceLength, int NumSegments)
{
    /// <summary>Reads a <c>BertBackbone</c>'s arguments.</summary>
    public static BertBackboneSpec Read(LayerReader arguments) => new(
        arguments.IntAtLeast("vocabulary_size", 0, 1), arguments.IntAtLeast("num_layers", 0, 0), arguments.IntAtLeast("num_heads", 0, 1),
        arguments.IntAtLeast("hidden_dim", 0, 1), arguments.IntAtLeast("intermediate_dim", 0, 1), arguments.DoubleAtLeast("dropout", 0.1, 0),
        arguments.IntAtLeast("max_sequence_length", 512, 1), arguments.IntAtLeast("num_segments", 2, 1));
}
