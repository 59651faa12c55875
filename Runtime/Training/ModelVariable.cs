namespace KerasPort.Runtime.Training;

/// <summary>
/// One weight of a model being trained: a leaf tensor in Keras layout that the training steps read (through the
/// layers built for each step) and the optimizer updates in place. Trainable weights require grad; non-trainable
/// ones (BatchNormalization's moving statistics, frozen layers) are updated only by their layers, if at all.
/// </summary>
public sealed class ModelVariable
{
    internal ModelVariable(string layerPath, int index, string name, NdArray source, Tensor value, bool trainable)
    {
        LayerPath = layerPath;
        Index = index;
        Name = name;
        Source = source;
        Value = value;
        Trainable = trainable;
    }

    /// <summary>The layer's name, with enclosing nested models' names first (<c>encoder/dense</c>).</summary>
    public string LayerPath { get; }

    /// <summary>The weight's index in its layer's <c>layer.weights</c> (Keras order).</summary>
    public int Index { get; }

    /// <summary>The variable's name as Keras names it (<c>kernel</c>, <c>bias</c>, <c>moving_mean</c>, ...) once known, else the file's weight name.</summary>
    public string Name { get; internal set; }

    /// <summary><see cref="LayerPath"/> and <see cref="Index"/>: <c>dense/0</c>.</summary>
    public string Path => $"{LayerPath}/{Index}";

    /// <summary>The live value (float32, on the model's device).</summary>
    public Tensor Value { get; }

    /// <summary>Whether the optimizer updates this weight.</summary>
    public bool Trainable { get; }

    /// <summary>The Keras class of the weight's layer.</summary>
    internal string ClassName { get; init; } = "";

    /// <summary>The array of the description the training layers are built from; bound to <see cref="Value"/>.</summary>
    internal NdArray Source { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Path} ({Name}, {string.Join("x", Value.Sizes())}{(Trainable ? "" : ", non-trainable")})";
}
