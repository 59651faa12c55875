using KerasPort.Converters;

namespace KerasPort;

/// <summary>The reference Keras cannot be started or reached, or it refused a request; the message says what to do.</summary>
public sealed class KerasReferenceException : KerasPortException
{
    /// <summary>Creates the exception.</summary>
    public KerasReferenceException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>What to install when Python lacks Keras or its dependencies.</summary>
    public const string InstallHint = "pip install keras numpy h5py, plus one backend: torch, tensorflow or jax (pyyaml too for model.yaml)";
}
