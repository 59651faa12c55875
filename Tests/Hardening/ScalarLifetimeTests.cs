using System.Reflection;
using System.Runtime.InteropServices;
using KerasPort.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace KerasPort.Tests.Hardening;

/// <summary>
/// TorchSharp 0.107 passes a <c>Scalar</c>'s native handle to libtorch without keeping the managed object alive, so a
/// temporary scalar can be finalized by a garbage collection on another thread in the middle of the native call
/// (see Runtime/KeptScalars.cs). These tests keep the runtime free of such temporaries: a source scan that fails on
/// every new one, and concurrent predictions under constant garbage collection that must stay bit-exact.
/// </summary>
[Collection(nameof(ConcurrencySoakTests))]
public sealed class ScalarLifetimeTests(ITestOutputHelper output)
{
    [Fact]
    public void RuntimeCodeHandsLibtorchNoTemporaryScalars()
    {
        var findings = TemporaryScalarScan.Find(Path.Combine(TestPaths.RepoRoot, "Runtime"));
        foreach (var finding in findings) output.WriteLine(finding);
        Assert.True(findings.Count == 0, $"{findings.Count} call(s) pass libtorch a temporary Scalar:\n" + string.Join("\n", findings));
    }

    /// <summary>
    /// The analyzer's list of TorchSharp members that make a temporary Scalar is the one TorchSharp's IL gives (the
    /// closure over calls); after a TorchSharp upgrade, run this test with KERASPORT_UPDATE_SCALAR_MAKERS=1 to rewrite it.
    /// </summary>
    [Fact]
    public void AnalyzerKnowsEveryTorchSharpMemberThatMakesAScalar()
    {
        var fromIL = TemporaryScalarScan.TorchSharpMembersThatMakeScalars();
        var path = Path.Combine(TestPaths.RepoRoot, "tools", "analyzers", "KerasPort.Analyzers", "TorchSharpScalarMakers.txt");
        if (Environment.GetEnvironmentVariable("KERASPORT_UPDATE_SCALAR_MAKERS") == "1")
            File.WriteAllLines(path, fromIL.Order(StringComparer.Ordinal).Prepend(
                $"# TorchSharp {typeof(Tensor).Assembly.GetName().Version} members that hand libtorch a temporary Scalar (KP0001); written by Tests/Hardening/ScalarLifetimeTests."));
        var shipped = TemporaryScalarAnalyzer.ScalarMakers;
        Assert.True(fromIL.SetEquals(shipped),
            $"{path} is stale (run this test with KERASPORT_UPDATE_SCALAR_MAKERS=1 and rebuild): missing {string.Join(", ", fromIL.Except(shipped).Take(10))}; extra {string.Join(", ", shipped.Except(fromIL).Take(10))}");
    }

    [Theory]
    [InlineData("x * 0.5", "Tensor.op_Multiply")]
    [InlineData("x.mul(0.5)", "implicit conversion of '0.5'")]
    [InlineData("x + y", "Tensor.op_Addition")]
    [InlineData("x.add(y)", "Tensor.add")]
    [InlineData("x.square()", "Tensor.square")]
    [InlineData("x.add(y, 2)", "implicit conversion of '2'")]
    [InlineData("x.mul(kept)", null)]
    [InlineData("x.add(y, kept)", null)]
    [InlineData("x * y", null)]
    public void AnalyzerFlagsEveryTemporaryScalar(string expression, string? expected)
    {
        var findings = TemporaryScalarScan.Find([$"using TorchSharp; using static TorchSharp.torch; static class C {{ static Tensor F(Tensor x, Tensor y, Scalar kept) => {expression}; }}"]);
        if (expected is null) Assert.Empty(findings);
        else Assert.Contains(expected, Assert.Single(findings));
        Assert.All(findings, f => Assert.Contains("KeptScalars.Of", f));
    }

    static readonly string[] ActivationNames =
    [
        "celu", "elu", "exponential", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_tanh", "leaky_relu",
        "log_sigmoid", "log_softmax", "mish", "relu", "relu6", "selu", "sigmoid", "silu", "soft_shrink", "softmax", "softplus",
        "softsign", "sparse_plus", "sparse_sigmoid", "sparsemax", "squareplus", "tanh", "tanh_shrink",
    ];

    [Fact]
    public void ActivationsUnderConstantGarbageCollectionStayExact()
    {
        var functions = ActivationNames.SelectMany(name => new[] { KerasGeneration.Keras2, KerasGeneration.Keras3 }
            .Select(generation => (Name: $"{name} ({generation})", Apply: KerasPort.Runtime.Activations.Activations.Resolve(name, generation, "stress")))).ToList();
        using var input = linspace(-4, 4, 64 * 64).reshape(64, 64);
        var expected = functions.Select(f => Bytes(f.Apply, input)).ToList();
        Hammer(iterations: 300, functions.Count, i => Bytes(functions[i].Apply, input).AsSpan().SequenceEqual(expected[i]) ? null : $"{functions[i].Name}: output differs");
    }

    /// <summary>Golden cases whose layers do scalar and tensor arithmetic in managed code (step-loop RNNs, norms, masks, activations).</summary>
    static readonly string[] StressCases =
    [
        "recurrent/masking_gru", "recurrent/embedding_mask_lstm", "recurrent/gru_reset_before", "recurrent/simple_rnn",
        "normalization/layernorm", "normalization/rms_normalization", "normalization/unit_normalization",
        "normalization/batchnorm_after_conv2d", "attention/mha_causal", "attention/additive_attention", "activation_layers/relu_variants",
        "activation_layers/prelu", "activation_layers/softmax",
    ];

    [SkippableFact]
    public void ModelsUnderConstantGarbageCollectionStayExact()
    {
        var cases = StressCases.Select(name => SharedData.GoldenPath(name)).ToList();
        var models = cases.Select(dir => (
            Model: KerasModel.Create(KerasModelReader.Load(Path.Combine(dir, "model.keras"))),
            Inputs: NpzArchive.Read(Path.Combine(dir, "io.npz")).Where(kv => kv.Key.StartsWith("in/", StringComparison.Ordinal)).Select(kv => kv.Value).ToArray()))
            .ToList();
        try
        {
            var expected = models.Select(m => Bytes(m.Model.Predict(m.Inputs))).ToList();
            Hammer(iterations: 40, models.Count, i => Bytes(models[i].Model.Predict(models[i].Inputs)).AsSpan().SequenceEqual(expected[i]) ? null : $"{cases[i]}: output differs");
        }
        finally
        {
            foreach (var (model, _) in models) model.Dispose();
        }
    }

    /// <summary>
    /// Runs <paramref name="check"/> for every index below <paramref name="count"/>, <paramref name="iterations"/> times on
    /// each of 3 threads, while another thread collects garbage and runs finalizers nonstop; fails with every problem seen.
    /// </summary>
    static void Hammer(int iterations, int count, Func<int, string?> check)
    {
        using var done = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!done.IsCancellationRequested) { GC.Collect(); GC.WaitForPendingFinalizers(); }
        });
        collector.Start();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var workers = Enumerable.Range(0, 3).Select(_ => new Thread(() =>
        {
            for (int round = 0; round < iterations; round++)
                for (int i = 0; i < count; i++)
                {
                    try { if (check(i) is { } failure) failures.Add(failure); }
                    catch (Exception e) { failures.Add($"#{i}: {e.GetType().Name}: {e.Message.Split('\n')[0]}"); }
                }
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());
        done.Cancel();
        collector.Join();
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Distinct().Take(20)));
    }

    static byte[] Bytes(Func<Tensor, Tensor> activation, Tensor input)
    {
        using var scope = NewDisposeScope();
        return MemoryMarshal.AsBytes(activation(input).data<float>().ToArray().AsSpan()).ToArray();
    }

    static byte[] Bytes(NdArray[] outputs) => outputs.SelectMany(o => MemoryMarshal.AsBytes(o.ToFloats().AsSpan()).ToArray()).ToArray();
}

/// <summary>
/// Runs the KP0001 analyzer (tools/analyzers, <see cref="TemporaryScalarAnalyzer"/>) over C# sources compiled against
/// TorchSharp and KerasPort, and derives from TorchSharp's IL the members that make a temporary Scalar, which the
/// analyzer ships as a list.
/// </summary>
internal static class TemporaryScalarScan
{
    /// <summary>The KP0001 findings in the C# files under <paramref name="sourceRoot"/>, as <c>path:line: message</c>.</summary>
    public static List<string> Find(string sourceRoot) => Find(Directory.GetFiles(sourceRoot, "*.cs", SearchOption.AllDirectories)
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
        .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), CSharpParseOptions.Default, Path.GetRelativePath(sourceRoot, f))));

    /// <summary>The KP0001 findings in <paramref name="sources"/>.</summary>
    public static List<string> Find(IEnumerable<string> sources) => Find(sources.Select(source => CSharpSyntaxTree.ParseText(source, CSharpParseOptions.Default, "snippet.cs")));

    static List<string> Find(IEnumerable<SyntaxTree> sources)
    {
        var trees = sources
            .Append(CSharpSyntaxTree.ParseText("global using System; global using System.Linq; global using System.Collections.Generic; global using System.IO; global using System.Threading; global using System.Threading.Tasks;"))
            .ToList();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(Tensor).Assembly.Location).Append(typeof(NdArray).Assembly.Location)
            .Distinct().Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("scan", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var diagnostics = compilation.WithAnalyzers([new TemporaryScalarAnalyzer()]).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        return diagnostics.Where(d => d.Id == TemporaryScalarAnalyzer.Id).Select(d =>
        {
            var line = d.Location.GetLineSpan();
            return $"{line.Path}:{line.StartLinePosition.Line + 1}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
        }).ToList();
    }

    static string Key(MethodBase method) =>
        $"{method.DeclaringType!.Name}::{method.Name}({string.Join(",", method.GetParameters().Select(p => p.ParameterType.Name))})";

    /// <summary>
    /// TorchSharp members whose IL makes a Scalar, or calls a TorchSharp member that does (the closure), restricted to
    /// those that code outside TorchSharp can call.
    /// </summary>
    public static HashSet<string> TorchSharpMembersThatMakeScalars()
    {
        var torchSharp = typeof(Tensor).Assembly;
        var callers = new Dictionary<string, HashSet<string>>();
        var makers = new HashSet<string>();
        var callable = new HashSet<string>();
        Type[] types;
        try { types = torchSharp.GetTypes(); }
        catch (ReflectionTypeLoadException partial) { types = partial.Types.OfType<Type>().ToArray(); }
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in types.Where(t => t.FullName is not ("TorchSharp.Scalar" or "TorchSharp.ScalarExtensionMethods")))
            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                byte[]? il;
                string caller;
                try { il = method.GetMethodBody()?.GetILAsByteArray(); caller = Key(method); }
                catch (Exception e) when (e is FileNotFoundException or TypeLoadException or BadImageFormatException) { continue; }
                if (type.IsVisible && (method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly)) callable.Add(caller);
                if (il is null) continue;
                // A member that disposes as many objects as it makes scalars holds them in `using` (e.g. F.hardshrink): safe.
                int scalarsMade = 0, disposals = 0;
                // Call and callvirt opcodes (0x28, 0x6F) take a 4-byte method token; other bytes that look like them fail to resolve.
                for (int i = 0; i + 4 < il.Length; i++)
                {
                    if (il[i] is not (0x28 or 0x6F)) continue;
                    MethodBase? callee;
                    try { callee = method.Module.ResolveMethod(BitConverter.ToInt32(il, i + 1), type.IsGenericType ? type.GetGenericArguments() : null, method.IsGenericMethod ? method.GetGenericArguments() : null); }
                    catch (Exception e) when (e is ArgumentException or FileNotFoundException or TypeLoadException or BadImageFormatException or MissingMethodException) { continue; }
                    if (callee?.Name == "Dispose") { disposals++; continue; }
                    if (callee?.DeclaringType is not { } declaring || declaring.Assembly != torchSharp) continue;
                    if ((declaring.FullName == "TorchSharp.Scalar" && callee.Name == "op_Implicit") || (declaring.Name == "ScalarExtensionMethods" && callee.Name.StartsWith("To", StringComparison.Ordinal)))
                        scalarsMade++;
                    else
                    {
                        string calleeKey;
                        try { calleeKey = Key(callee); }
                        catch (Exception e) when (e is FileNotFoundException or TypeLoadException) { continue; }
                        if (!callers.TryGetValue(calleeKey, out var set)) callers[calleeKey] = set = [];
                        set.Add(caller);
                    }
                }
                if (scalarsMade > disposals) makers.Add(caller);
            }
        var pending = new Queue<string>(makers);
        while (pending.TryDequeue(out var maker))
            if (callers.TryGetValue(maker, out var set))
                foreach (var caller in set) if (makers.Add(caller)) pending.Enqueue(caller);
        makers.IntersectWith(callable);
        return makers;
    }
}
