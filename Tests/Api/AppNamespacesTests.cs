using System.Reflection;

namespace KerasPort.Tests.Api;

/// <summary>
/// What an application must <c>using</c>: <c>KerasPort</c> (NdArray, ModelDescription, the exceptions) and
/// <c>KerasPort.Runtime</c> (KerasModel and its options and results). Training types live in
/// <c>KerasPort.Runtime.Training</c>, for the apps that train.
/// </summary>
public sealed class AppNamespacesTests
{
    static readonly string[] AppNamespaces = ["KerasPort", "KerasPort.Runtime", "KerasPort.Runtime.Training"];

    [Fact]
    public void KerasModelsPublicSignaturesNeedOnlyTheAppNamespaces()
    {
        // Graph is the executable graph itself, for tools that inspect layers (bench, diff), not for apps.
        var members = typeof(KerasModel).GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => m.Name is not (nameof(KerasModel.Graph) or "get_" + nameof(KerasModel.Graph)));
        var outside = members.SelectMany(SignatureTypes).SelectMany(Unwrap)
            .Where(t => t.Namespace is { } ns && ns.StartsWith("KerasPort", StringComparison.Ordinal) && !AppNamespaces.Contains(ns))
            .Select(t => t.FullName).Distinct().Order().ToList();
        Assert.True(outside.Count == 0, "KerasModel's public members use types an app would have to find in other namespaces: " + string.Join(", ", outside));
    }

    [Fact]
    public void TheSamplesAndTheReadmeExampleUseOnlyTheAppNamespaces()
    {
        var sources = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "samples"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Append(Path.Combine(TestPaths.RepoRoot, "Tests", "Api", "ReadmeExample.cs"));
        var usings = sources.SelectMany(f => File.ReadLines(f).Where(l => l.StartsWith("using KerasPort", StringComparison.Ordinal))
            .Select(l => (File: Path.GetFileName(f), Namespace: l["using ".Length..].TrimEnd(';'))))
            .Where(u => !AppNamespaces.Contains(u.Namespace) && !u.Namespace.StartsWith("KerasPort.Samples", StringComparison.Ordinal))
            .ToList();
        Assert.True(usings.Count == 0, string.Join("; ", usings.Select(u => $"{u.File}: using {u.Namespace}")));
    }

    static IEnumerable<Type> SignatureTypes(MemberInfo member) => member switch
    {
        MethodInfo m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType),
        ConstructorInfo c => c.GetParameters().Select(p => p.ParameterType),
        PropertyInfo p => [p.PropertyType],
        _ => [],
    };

    static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.HasElementType) return Unwrap(type.GetElementType()!);
        if (!type.IsGenericType) return [type];
        return type.GetGenericArguments().SelectMany(Unwrap).Append(type.GetGenericTypeDefinition());
    }
}
