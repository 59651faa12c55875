using System.Runtime.InteropServices;
using KerasPort.Converters.Model;
using Python.Runtime;

namespace KerasPort.Reference.Worker;

/// <summary>
/// Real Keras embedded in this process with pythonnet: the same Python code as the worker
/// (<c>python/kerasport_worker.py</c>), called directly, with arrays passed through memory instead of files.
/// There is one Python interpreter per process, started on first use from the libpython of the chosen interpreter
/// and given that interpreter's <c>sys.path</c> and environment; it lives until the process ends. Every call holds a
/// process-wide lock and the GIL, so instances may be shared between threads and several instances may coexist.
/// Keras on the torch backend cannot share a process with KerasPort's own libtorch (TorchSharp): the two libtorch
/// builds have the same sonames, so the second one loaded binds to the first one's libraries and crashes. Such a
/// process uses <see cref="PythonWorkerReference"/>, or this class in a child process (<see cref="ChildKerasPortReference"/>); see <see cref="KerasReferenceHost"/>.
/// </summary>
public sealed class InProcessKerasReference : IKerasReference
{
    static readonly Lock gate = new();
    static string? startedLibPython;
    static PyObject? bridge;

    readonly Dictionary<string, PyObject> models = new(StringComparer.Ordinal);
    int nextModel;
    bool disposed;

    InProcessKerasReference(KerasReferenceInfo info) => Info = info;

    /// <inheritdoc />
    public KerasReferenceInfo Info { get; }

    /// <summary>
    /// Embeds the interpreter that <paramref name="python"/> describes (see <see cref="PythonEnvironment.Probe"/>) and
    /// imports Keras in it; a later call reuses the interpreter already started.
    /// </summary>
    /// <exception cref="KerasReferenceException">It has no shared libpython, a different one is already embedded, or Keras cannot be imported.</exception>
    public static InProcessKerasReference Start(PythonEnvironment python)
    {
        var libPython = LibPythonOf(python);
        if (python.KerasBackend == "torch" && LibTorchLoaded())
            throw new KerasReferenceException($"Keras's torch backend cannot be embedded in a process that already runs KerasPort's libtorch (two libtorch builds clash); use --python-host worker");
        lock (gate)
        {
            if (startedLibPython is null) Embed(libPython, python);
            if (bridge is null) throw new KerasReferenceException($"the embedded python ({startedLibPython}) could not load {WorkerCommand.WorkerScript} earlier in this process");
            else if (startedLibPython != libPython)
                throw new KerasReferenceException($"this process already embeds {startedLibPython}; one interpreter per process, so {libPython} cannot be started too (use --python-host worker)");
            using (Py.GIL())
            {
                using var hello = Call("hello_in_process");
                if (!hello.GetItem("ok").As<bool>())
                    throw new KerasReferenceException($"embedded python {python.Version} ({libPython}) cannot import Keras: {hello.GetItem("error")}");
                return new InProcessKerasReference(new KerasReferenceInfo(hello.GetItem("keras_version").As<string>(), hello.GetItem("backend").As<string>(),
                    $"python {python.Version} in-process ({libPython})"));
            }
        }
    }

    /// <summary>The shared libpython that embeds <paramref name="python"/>.</summary>
    /// <exception cref="KerasReferenceException">It has none (a static build).</exception>
    internal static string LibPythonOf(PythonEnvironment python) => python.LibPython
        ?? throw new KerasReferenceException($"{python.Executable} has no shared libpython to embed; set {PythonEnvironment.LibPythonVariable} or use --python-host worker");

    /// <summary>True when a libtorch is mapped into this process (Linux; elsewhere the check cannot be made and says no).</summary>
    public static bool LibTorchLoaded() =>
        File.Exists("/proc/self/maps") && File.ReadLines("/proc/self/maps").Any(l => l.Contains("libtorch_cpu", StringComparison.Ordinal));

    /// <summary>Starts Python and gives it the probed interpreter's variables and <c>sys.path</c> before anything imports.</summary>
    static void Embed(string libPython, PythonEnvironment python)
    {
        try
        {
            Python.Runtime.Runtime.PythonDLL = libPython;
            PythonEngine.Initialize();
        }
        catch (Exception e) when (e is not KerasReferenceException)
        {
            throw new KerasReferenceException($"cannot embed {libPython}: {e.Message} (use --python-host worker)", e);
        }
        startedLibPython = libPython;
        try
        {
            using (Py.GIL()) Prepare(python);
        }
        catch (PythonException e)
        {
            throw new KerasReferenceException($"embedded python {python.Version} ({libPython}) cannot load {WorkerCommand.WorkerScript}: {e.Message}", e);
        }
        finally
        {
            // The thread that initialized Python holds the GIL until it lets go; every call takes it back with Py.GIL().
            PythonEngine.BeginAllowThreads();
        }
    }

    static void Prepare(PythonEnvironment python)
    {
        using var sys = Py.Import("sys");
        using var os = Py.Import("os");
        using var environ = os.GetAttr("environ");
        foreach (var (name, value) in python.Environment)
        {
            using var key = new PyString(name);
            using var text = new PyString(value);
            environ.SetItem(key, text);
        }
        if (python.Environment.TryGetValue("PYTHONPYCACHEPREFIX", out var cache)) sys.SetAttr("pycache_prefix", new PyString(cache));
        var scriptFolder = Path.GetDirectoryName(WorkerCommand.WorkerScript)!;
        using var path = new PyList([new PyString(scriptFolder), .. python.SysPath.Select(p => (PyObject)new PyString(p))]);
        sys.SetAttr("path", path);
        sys.SetAttr("argv", new PyList([new PyString("kerasport")]));
        sys.SetAttr("executable", new PyString(python.Executable));
        bridge = Py.Import("kerasport_worker");
    }

    static PyObject Call(string function, params PyObject[] arguments) => bridge!.InvokeMethod(function, arguments);

    /// <inheritdoc />
    public ReferenceModel LoadModel(string modelPath, string? weightsPath = null) => Locked("load", () =>
    {
        using var path = new PyString(Path.GetFullPath(modelPath));
        using var weights = weightsPath is null ? PyObject.None : new PyString(Path.GetFullPath(weightsPath));
        var model = Call("load_model", path, weights);
        var id = $"m{++nextModel}";
        models[id] = model;
        using var names = Call("input_names", model);
        return new ReferenceModel(id, model.GetAttr("name").As<string>(), names.As<string[]>());
    });

    /// <inheritdoc />
    public IReadOnlyList<NdArray> Predict(ReferenceModel model, IReadOnlyDictionary<string, NdArray> inputs) => Locked("predict", () =>
    {
        var (keras, feed) = Feed(model, inputs);
        using (feed)
        using (var outputs = Call("predict", keras, feed))
            return outputs.As<PyObject[]>().Select(ToNdArray).ToList();
    });

    /// <inheritdoc />
    public ReferenceOutputs LayerOutputs(ReferenceModel model, IReadOnlyDictionary<string, NdArray> inputs) => Locked("layer_outputs", () =>
    {
        var (keras, feed) = Feed(model, inputs);
        using (feed)
        using (var answer = Call("layer_outputs", keras, feed))
        {
            using var arrays = new PyDict(answer.GetItem(0));
            using var notCompared = new PyDict(answer.GetItem(2));
            return new ReferenceOutputs(
                arrays.Keys().ToDictionary(k => k.As<string>(), k => ToNdArray(arrays.GetItem(k)), StringComparer.Ordinal),
                notCompared.Keys().ToDictionary(k => k.As<string>(), k => notCompared.GetItem(k).As<string>(), StringComparer.Ordinal));
        }
    });

    /// <inheritdoc />
    public IReadOnlyList<string> WriteGoldenCase(ReferenceModel model, IReadOnlyDictionary<string, NdArray> inputs, string caseDirectory, string family = "custom", string? caseName = null) =>
        Locked("write_case", () =>
        {
            var (keras, feed) = Feed(model, inputs);
            var directory = Path.GetFullPath(caseDirectory);
            using (feed)
            using (var files = Call("write_case", keras, feed, new PyString(directory), new PyString(family), new PyString(caseName ?? Path.GetFileName(directory))))
                return files.As<string[]>();
        });

    /// <summary>The loaded model and the inputs as a Python list in model-input order.</summary>
    (PyObject Model, PyObject Feed) Feed(ReferenceModel model, IReadOnlyDictionary<string, NdArray> inputs)
    {
        var keras = models.GetValueOrDefault(model.Id) ?? throw new KerasReferenceException($"model '{model.Id}' was not loaded by this reference");
        using var arrays = new PyDict();
        foreach (var (name, value) in inputs)
        {
            using var key = new PyString(name);
            using var array = ToNumpy(value);
            arrays.SetItem(key, array);
        }
        return (keras, Call("feed_from", keras, arrays));
    }

    /// <summary>A numpy copy of <paramref name="array"/>, read from its pinned memory.</summary>
    static PyObject ToNumpy(NdArray array)
    {
        var pin = GCHandle.Alloc(array.Data, GCHandleType.Pinned);
        try
        {
            long bytes = Buffer.ByteLength(array.Data);
            using var shape = new PyList(array.Shape.Select(d => (PyObject)new PyInt(d)).ToArray());
            return Call("array_from_address", new PyInt(pin.AddrOfPinnedObject().ToInt64()), new PyInt(bytes), new PyString(NumpyName(array.DType)), shape);
        }
        finally { pin.Free(); }
    }

    /// <summary>A .NET copy of a numpy array (dtypes KerasPort does not hold become float32, or int64 for integers).</summary>
    static NdArray ToNdArray(PyObject value)
    {
        using var host = Call("for_host", value);
        long address = host.GetItem(1).As<long>();
        int bytes = host.GetItem(2).As<int>();
        var dtype = host.GetItem(3).As<string>() switch
        {
            "float32" => DType.Float32,
            "float64" => DType.Float64,
            "int32" => DType.Int32,
            "int64" => DType.Int64,
            _ => DType.Bool,
        };
        var shape = host.GetItem(4).As<long[]>();
        var raw = new byte[bytes];
        Marshal.Copy(new IntPtr(address), raw, 0, bytes);
        var data = Array.CreateInstance(NdArray.ElementTypeOf(dtype), shape.Aggregate(1L, (a, b) => a * b));
        Buffer.BlockCopy(raw, 0, data, 0, bytes);
        return new NdArray(dtype, shape, data);
    }

    static string NumpyName(DType dtype) => dtype switch
    {
        DType.Float32 => "float32",
        DType.Float64 => "float64",
        DType.Int32 => "int32",
        DType.Int64 => "int64",
        DType.Int8 => "int8",
        _ => "bool",
    };

    /// <summary>Runs <paramref name="body"/> under the process-wide lock and the GIL; Python errors become <see cref="KerasReferenceException"/>.</summary>
    T Locked<T>(string op, Func<T> body)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            using (Py.GIL())
            {
                try { return body(); }
                catch (PythonException e) { throw new KerasReferenceException($"Keras failed '{op}': {e.Type?.Name ?? "error"}: {e.Message}", e); }
            }
        }
    }

    /// <summary>Releases this reference's models; the interpreter stays for the rest of the process.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            if (models.Count == 0) return;
            using (Py.GIL())
            {
                foreach (var model in models.Values) model.Dispose();
                models.Clear();
            }
        }
    }
}
