namespace KerasPort.Runtime.Layers;

/// <summary>
/// A layer whose inference output is its one input, unchanged, mask included: the dropout and noise layers, which only
/// act in training, and <c>Identity</c>. The inference plan (<see cref="Graph.InferencePlan"/>) runs no step for it and
/// reads its input wherever its output is read, so that the layers around it can fuse (EfficientNet's
/// BatchNormalization, Dropout, Add).
/// </summary>
internal interface IInferenceIdentity;
