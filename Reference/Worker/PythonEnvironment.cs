using System.Text.Json;

namespace KerasPort.Reference.Worker;

/// <summary>
/// What a Python interpreter looks like from inside, asked by running it once (<c>python -c ...</c>): its shared
/// library, its <c>sys.path</c> and its environment. A wrapper script such as <c>../shared/keras3/run</c>, which sets
/// <c>KERAS_BACKEND</c> and <c>PYTHONPATH</c> and then execs python, is seen with the environment it sets, so an
/// embedded interpreter can be given the same <c>sys.path</c> and variables.
/// </summary>
/// <param name="Executable">The interpreter's <c>sys.executable</c>.</param>
/// <param name="Version">Its <c>platform.python_version()</c>.</param>
/// <param name="LibPython">Path of its shared libpython, or null when it has none (a static build cannot be embedded).</param>
/// <param name="SysPath">Its <c>sys.path</c>, without the script folder entry.</param>
/// <param name="Environment">Variables it sees that this process lacks or sees differently (what a wrapper set).</param>
/// <param name="KerasBackend">The backend Keras 3 will pick there (<c>KERAS_BACKEND</c>, else <c>keras.json</c>, else tensorflow), read without importing Keras.</param>
public sealed record PythonEnvironment(string Executable, string Version, string? LibPython, IReadOnlyList<string> SysPath,
    IReadOnlyDictionary<string, string> Environment, string KerasBackend)
{
    /// <summary>Environment variable naming libpython directly, overriding what the interpreter says.</summary>
    public const string LibPythonVariable = "KERASPORT_LIBPYTHON";

    // LDLIBRARY is the link name (libpython3.11.so, present only with the -dev package); INSTSONAME the runtime
    // name (libpython3.11.so.1.0) that Debian's libpython3.11 package installs; MULTIARCH for Debian's LIBDIR layout.
    // The backend rule is keras/src/backend/config.py's (KERAS_BACKEND over $KERAS_HOME/keras.json, default tensorflow).
    const string ProbeScript = """
        import json, os, platform, sys, sysconfig
        v = sysconfig.get_config_var
        home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
        try:
            with open(os.path.join(home, "keras.json")) as f: backend = json.load(f).get("backend")
        except Exception: backend = None
        print(json.dumps({"executable": sys.executable, "version": platform.python_version(),
            "libdirs": [d for d in (v("LIBDIR"), os.path.join(v("LIBDIR") or "", v("MULTIARCH") or ""), v("LIBPL")) if d],
            "names": [n for n in (v("LDLIBRARY"), v("INSTSONAME")) if n],
            "shared": bool(v("Py_ENABLE_SHARED")), "path": [p for p in sys.path if p], "environ": dict(os.environ),
            "backend": os.environ.get("KERAS_BACKEND") or backend or "tensorflow"}))
        """;

    /// <summary>Runs <paramref name="python"/> once and reads its answers; <paramref name="description"/> names it in errors.</summary>
    /// <exception cref="KerasReferenceException">It cannot be started or gives no answer.</exception>
    public static PythonEnvironment Probe(string python, string description)
    {
        var (exitCode, stdout, stderr) = ProcessRun.Run(python, ["-c", ProbeScript], TimeSpan.FromMinutes(1), description,
            $" Give Python with --python PATH or {WorkerCommand.PythonVariable}");
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (exitCode != 0 || line is null)
            throw new KerasReferenceException($"{description} did not answer a sysconfig query (exit code {exitCode}): {stderr.Trim()}");
        return Parse(line);
    }

    static PythonEnvironment Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var own = System.Environment.GetEnvironmentVariables();
        var environment = root.GetProperty("environ").EnumerateObject()
            .Where(v => v.Value.GetString() is { } value && own[v.Name] as string != value && !Volatile(v.Name))
            .ToDictionary(v => v.Name, v => v.Value.GetString()!, StringComparer.Ordinal);
        return new PythonEnvironment(root.GetProperty("executable").GetString() ?? "python", root.GetProperty("version").GetString() ?? "?",
            LibPythonOf(root), root.GetProperty("path").EnumerateArray().Select(p => p.GetString()!).ToList(), environment,
            root.GetProperty("backend").GetString() ?? "tensorflow");
    }

    /// <summary>Variables a shell sets for each process it starts; they say nothing about the interpreter.</summary>
    static bool Volatile(string name) => name is "_" or "SHLVL" or "PWD" or "OLDPWD";

    static string? LibPythonOf(JsonElement root)
    {
        if (System.Environment.GetEnvironmentVariable(LibPythonVariable) is { Length: > 0 } given) return given;
        if (!root.GetProperty("shared").GetBoolean()) return null;
        var names = root.GetProperty("names").EnumerateArray().Select(n => n.GetString()!).Where(n => !n.EndsWith(".a", StringComparison.Ordinal)).ToList();
        return root.GetProperty("libdirs").EnumerateArray()
            .SelectMany(d => names.Select(n => Path.Combine(d.GetString()!, n)))
            .FirstOrDefault(File.Exists);
    }
}
