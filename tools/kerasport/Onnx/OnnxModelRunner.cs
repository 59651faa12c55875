using KerasPort.Converters;
using KerasPort.Converters.Model;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace KerasPort.Cli.Onnx;

/// <summary>
/// Runs an ONNX model with ONNX Runtime (CPU) on <see cref="NdArray"/> inputs keyed by input name, as
/// <c>kerasport convert --to onnx</c> checks its output and <c>kerasport bench</c> times it. Inputs are converted to
/// the element type each graph input declares; outputs come back keyed by output name.
/// </summary>
public sealed class OnnxModelRunner : IDisposable
{
    readonly InferenceSession session;
    readonly RunOptions runOptions = new();

    /// <summary>Loads the model at <paramref name="path"/>, with <paramref name="threads"/> intra-op threads (ONNX Runtime's default when null).</summary>
    public OnnxModelRunner(string path, int? threads = null) : this(session: Open(() => new InferenceSession(path, Options(threads)), path)) { }

    /// <summary>
    /// Loads a model from its bytes, with <paramref name="threads"/> intra-op threads (ONNX Runtime's default when null);
    /// with <paramref name="spinning"/>, idle pool threads spin between runs as ONNX Runtime's default has them do.
    /// </summary>
    public OnnxModelRunner(byte[] model, int? threads = null, bool spinning = false)
        : this(session: Open(() => new InferenceSession(model, Options(threads, spinning)), "(in memory)")) { }

    /// <summary>
    /// Loads a model from its bytes with ONNX Runtime's profiler on: every node's kernel time goes to a JSON trace whose
    /// file name starts with <paramref name="profilePrefix"/>; <see cref="EndProfiling"/> returns its path.
    /// </summary>
    public OnnxModelRunner(byte[] model, int threads, string profilePrefix)
        : this(session: Open(() => new InferenceSession(model, ProfilingOptions(threads, profilePrefix)), "(in memory)")) { }

    static SessionOptions ProfilingOptions(int threads, string prefix)
    {
        var options = Options(threads);
        options.EnableProfiling = true;
        options.ProfileOutputPathPrefix = prefix;
        return options;
    }

    /// <summary>Stops the profiler of a runner made with a profile prefix and returns the trace's path.</summary>
    public string EndProfiling() => session.EndProfiling();

    OnnxModelRunner(InferenceSession session) => this.session = session;

    static InferenceSession Open(Func<InferenceSession> open, string path)
    {
        try { return open(); }
        catch (OnnxRuntimeException e) { throw new ModelFileException(path, null, $"ONNX Runtime cannot load it: {e.Message}", e); }
    }

    static SessionOptions Options(int? threads, bool spinning = false)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            InterOpNumThreads = 1,
        };
        if (threads is { } n) options.IntraOpNumThreads = n;
        // ONNX Runtime's pool threads otherwise spin for a while after each run. In kerasport bench, where runs alternate
        // with libtorch's in one process, a spinning pool thread took the core libtorch's second OpenMP thread needed:
        // with 2 threads on 2 cores the LSTM's p90 rose from 0.66 ms to 4-46 ms and a small transformer's median tripled.
        if (!spinning) options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    /// <summary>The graph's input names, in order.</summary>
    public IReadOnlyList<string> InputNames => session.InputNames;

    /// <summary>The graph's output names, in order.</summary>
    public IReadOnlyList<string> OutputNames => session.OutputNames;

    /// <summary>Runs the model; every graph input must be in <paramref name="inputs"/>.</summary>
    /// <exception cref="KerasPortException">An input is missing, or ONNX Runtime fails.</exception>
    public IReadOnlyDictionary<string, NdArray> Run(IReadOnlyDictionary<string, NdArray> inputs)
    {
        var values = new List<OrtValue>();
        try
        {
            foreach (var name in session.InputNames)
            {
                var array = inputs.TryGetValue(name, out var given) ? given
                    : throw new KerasPortException($"the ONNX model needs an input '{name}', which was not given");
                values.Add(ToOrtValue(array, session.InputMetadata[name].ElementDataType));
            }
            using var outputs = session.Run(runOptions, session.InputNames, values, session.OutputNames);
            return session.OutputNames.Zip(outputs).ToDictionary(p => p.First, p => FromOrtValue(p.Second), StringComparer.Ordinal);
        }
        catch (OnnxRuntimeException e) { throw new KerasPortException($"ONNX Runtime failed: {e.Message}", e); }
        finally
        {
            foreach (var value in values) value.Dispose();
        }
    }

    static OrtValue ToOrtValue(NdArray array, TensorElementType type) => type switch
    {
        TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(array.ToFloats(), array.Shape),
        TensorElementType.Int32 => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(array.ToDoubles(), v => (int)v), array.Shape),
        TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(array.ToDoubles(), v => (long)v), array.Shape),
        TensorElementType.Bool => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(array.ToDoubles(), v => v != 0), array.Shape),
        _ => throw new KerasPortException($"ONNX input element type {type} is not supported"),
    };

    static NdArray FromOrtValue(OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var shape = info.Shape;
        return info.ElementDataType switch
        {
            TensorElementType.Float => NdArray.Of(value.GetTensorDataAsSpan<float>().ToArray(), shape),
            TensorElementType.Int32 => NdArray.Of(value.GetTensorDataAsSpan<int>().ToArray(), shape),
            TensorElementType.Int64 => NdArray.Of(value.GetTensorDataAsSpan<long>().ToArray(), shape),
            TensorElementType.Bool => NdArray.Of(value.GetTensorDataAsSpan<bool>().ToArray(), shape),
            var other => throw new KerasPortException($"ONNX output element type {other} is not supported"),
        };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        runOptions.Dispose();
        session.Dispose();
    }
}
