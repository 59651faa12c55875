using KerasPort.Converters.Model;

namespace KerasPort.Reference.Worker;

/// <summary>Which Keras answers a reference: its version and backend, and where it runs.</summary>
/// <param name="KerasVersion">Keras's <c>__version__</c>.</param>
/// <param name="Backend">Keras's backend (<c>torch</c>, <c>tensorflow</c>, <c>jax</c>).</param>
/// <param name="Runtime">Where it runs, e.g. the Python executable and version.</param>
public sealed record KerasReferenceInfo(string KerasVersion, string Backend, string Runtime)
{
    /// <summary>For reports: <c>Keras 3.15.1 (torch backend) via python 3.11 at /usr/bin/python3</c>.</summary>
    public override string ToString() => $"Keras {KerasVersion} ({Backend} backend) via {Runtime}";
}

/// <summary>A model loaded by the reference Keras; pass it back to the reference that loaded it.</summary>
/// <param name="Id">The reference's handle for the model.</param>
/// <param name="Name">Keras's model name.</param>
/// <param name="InputNames">Input layer names, in model-input order.</param>
public sealed record ReferenceModel(string Id, string Name, IReadOnlyList<string> InputNames);

/// <summary>Keras's per-layer outputs of one forward pass, and the layers whose outputs Keras could not give.</summary>
/// <param name="Arrays">Outputs keyed as golden <c>io.npz</c> keys them (<c>out/&lt;layer&gt;[@node]/&lt;k&gt;</c>, <c>inner/...</c>, <c>final/&lt;k&gt;</c>).</param>
/// <param name="NotCompared">Key prefix of each layer call without outputs (<c>out/dense</c>, <c>inner/encoder</c>; <c>*</c> for the whole model) and why.</param>
public sealed record ReferenceOutputs(IReadOnlyDictionary<string, NdArray> Arrays, IReadOnlyDictionary<string, string> NotCompared);

/// <summary>
/// Real Keras, used as the reference KerasPort is compared with. Implemented by <see cref="PythonWorkerReference"/>
/// (a Python worker process) and <see cref="InProcessKerasReference"/> (Python embedded with pythonnet); both run
/// the same Python code. Inputs are keyed by input layer name.
/// </summary>
public interface IKerasReference : IDisposable
{
    /// <summary>The Keras behind this reference.</summary>
    KerasReferenceInfo Info { get; }

    /// <summary>Loads a <c>.keras</c> or full-model <c>.h5</c> file, or a JSON/YAML architecture with <paramref name="weightsPath"/>.</summary>
    ReferenceModel LoadModel(string modelPath, string? weightsPath = null);

    /// <summary>Keras's <c>model.predict</c>: the model outputs in <c>model.outputs</c> order.</summary>
    IReadOnlyList<NdArray> Predict(ReferenceModel model, IReadOnlyDictionary<string, NdArray> inputs);

    /// <summary>Every layer call's outputs (nested models' inner layers too) and the model outputs, keyed as golden <c>io.npz</c> keys them.</summary>
    ReferenceOutputs LayerOutputs(ReferenceModel model, IReadOnlyDictionary<string, NdArray> inputs);

    /// <summary>Writes a golden case folder (the layout of ../shared/golden, readable by <c>kerasport verify</c>); returns its file names.</summary>
    IReadOnlyList<string> WriteGoldenCase(ReferenceModel model, IReadOnlyDictionary<string, NdArray> inputs, string caseDirectory, string family = "custom", string? caseName = null);
}
