namespace KerasPort;

/// <summary>Base of every error KerasPort raises on bad input. Messages name the file, layer or weight at fault.</summary>
public class KerasPortException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KerasPortException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>A model, weights or data file is missing, unreadable, or not what it claims to be.</summary>
public class ModelFileException : KerasPortException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>; <paramref name="part"/> names the part of the file at fault (an HDF5 path, a zip entry, a JSON key), if known.</summary>
    public ModelFileException(string filePath, string? part, string problem, Exception? inner = null)
        : base(Describe(filePath, part, problem), inner)
    {
        FilePath = filePath;
        Part = part;
    }

    /// <summary>The file at fault.</summary>
    public string FilePath { get; }

    /// <summary>The part of the file at fault, e.g. <c>model_weights/dense/dense/kernel:0</c>, or null.</summary>
    public string? Part { get; }

    static string Describe(string filePath, string? part, string problem) =>
        part is null ? $"{filePath}: {problem}" : $"{filePath} [{part}]: {problem}";
}

/// <summary>The named file does not exist.</summary>
public sealed class ModelFileNotFoundException : ModelFileException
{
    /// <summary>Creates the exception.</summary>
    public ModelFileNotFoundException(string filePath) : base(filePath, null, "file not found") { }
}

/// <summary>A weight array does not fit the layer that owns it (wrong count or shape).</summary>
public sealed class WeightMismatchException : KerasPortException
{
    /// <summary>Creates the exception.</summary>
    public WeightMismatchException(string layerName, string weightName, string problem)
        : base($"layer '{layerName}', weight '{weightName}': {problem}")
    {
        LayerName = layerName;
        WeightName = weightName;
    }

    /// <summary>The layer whose weights do not fit.</summary>
    public string LayerName { get; }

    /// <summary>The weight at fault.</summary>
    public string WeightName { get; }
}

/// <summary>A layer's config holds a value Keras would refuse (a wrong type, an unknown name, a value out of range).</summary>
public sealed class LayerConfigException : KerasPortException
{
    /// <summary>Creates the exception for config key <paramref name="key"/> of layer <paramref name="layerName"/>.</summary>
    public LayerConfigException(string className, string layerName, string key, string problem)
        : base($"layer '{layerName}' ({className}), config '{key}': {problem}")
    {
        ClassName = className;
        LayerName = layerName;
        Key = key;
    }

    /// <summary>The Keras class name.</summary>
    public string ClassName { get; }

    /// <summary>The layer at fault.</summary>
    public string LayerName { get; }

    /// <summary>The config key at fault.</summary>
    public string Key { get; }
}

/// <summary>A layer class, or an option of a layer, that KerasPort cannot run yet.</summary>
public sealed class UnsupportedLayerException : KerasPortException
{
    /// <summary>Creates the exception.</summary>
    public UnsupportedLayerException(string className, string layerName, string? detail = null)
        : base(detail is null
            ? $"layer '{layerName}': class '{className}' is not supported"
            : $"layer '{layerName}' ({className}): {detail}")
    {
        ClassName = className;
        LayerName = layerName;
    }

    /// <summary>The Keras class name, e.g. <c>ConvLSTM2D</c>.</summary>
    public string ClassName { get; }

    /// <summary>The layer's name in the model.</summary>
    public string LayerName { get; }
}

/// <summary>
/// A model file asks KerasPort to reach beyond itself: an HDF5 external link, external raw storage, a virtual
/// dataset, a soft link that leaves its group or loops, an unknown filter, a path out of the model's folder, or a
/// layer that would load another file. Refused before any data is read (see "Loading untrusted files" in the README).
/// </summary>
public sealed class UnsafeModelFileException : ModelFileException
{
    /// <summary>Creates the exception; <paramref name="construct"/> names what was refused (e.g. "external link").</summary>
    public UnsafeModelFileException(string filePath, string? part, string construct, string why)
        : base(filePath, part, $"refused {construct}: {why}")
    {
        Construct = construct;
    }

    /// <summary>What was refused, e.g. <c>external link</c>, <c>virtual dataset</c>.</summary>
    public string Construct { get; }
}

/// <summary>A layer call, or the model's outputs, read a tensor that the graph never produces (a corrupt graph).</summary>
public sealed class TensorNeverProducedException : KerasPortException
{
    /// <summary>Creates the exception for tensor <paramref name="tensor"/> of model <paramref name="model"/>, read by layer <paramref name="reader"/> (null: a model output).</summary>
    public TensorNeverProducedException(string model, string? reader, TensorRef tensor)
        : base(reader is null ? $"model '{model}': output {tensor} was never produced"
            : $"model '{model}': layer '{reader}' reads tensor {tensor}, which was never produced")
    {
        Model = model;
        Reader = reader;
        Tensor = tensor;
    }

    /// <summary>The model whose graph is at fault.</summary>
    public string Model { get; }

    /// <summary>The layer that reads the tensor, or null when a model output names it.</summary>
    public string? Reader { get; }

    /// <summary>The tensor no call produced.</summary>
    public TensorRef Tensor { get; }
}
