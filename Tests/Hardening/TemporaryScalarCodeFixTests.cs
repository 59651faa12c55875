using System.Collections.Immutable;
using KerasPort.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using static TorchSharp.torch;

namespace KerasPort.Tests.Hardening;

/// <summary>
/// The KP0001 code fix (tools/analyzers/KerasPort.Analyzers.CodeFixes) applied in an ad-hoc workspace whose project
/// holds Runtime/KeptScalars.cs and the runtime's global usings, as a file of KerasPort.Runtime sees them: the fixed
/// code must read as the runtime writes it and leave the analyzer nothing to report.
/// </summary>
public sealed class TemporaryScalarCodeFixTests
{
    [Theory]
    [InlineData("x * 0.5", "x * Of(0.5)")]
    [InlineData("0.5 * x", "Of(0.5) * x")]
    [InlineData("x / 2", "x / Of(2)")]
    [InlineData("x - 0.5", "x - Of(0.5)")]
    [InlineData("x.mul(0.5)", "x.mul(Of(0.5))")]
    [InlineData("x.add(y, 2)", "x.add(y, Of(2))")]
    [InlineData("x + y", "x.Plus(y)")]
    [InlineData("(x * y) + y", "(x * y).Plus(y)")]
    [InlineData("x + 0.5", "x.Plus(0.5)")]
    [InlineData("1.5 + x", "x.Plus(1.5)")]
    [InlineData("x + 1", "x.add(Of(1), Of(1))")]
    [InlineData("2.0 - x", "Minus(2.0, x)")]
    [InlineData("1 - x", "x.OneMinus()")]
    [InlineData("x.add(y)", "x.Plus(y)")]
    [InlineData("x.add_(y)", "x.PlusInPlace(y)")]
    [InlineData("x.square()", "x.Squared()")]
    [InlineData("(x + y).square()", "(x.Plus(y)).Squared()")]
    public void FixRewritesToKeptScalars(string expression, string expected)
    {
        var fixedBody = FixAll($"static Tensor F(Tensor x, Tensor y) => {expression};");
        Assert.Equal($"static Tensor F(Tensor x, Tensor y) => {expected};", fixedBody);
    }

    [Fact]
    public void FixRewritesCompoundAdditionToAnAssignment()
    {
        var fixedBody = FixAll("static Tensor F(Tensor x, Tensor y) { x += y; return x; }");
        Assert.Equal("static Tensor F(Tensor x, Tensor y) { x = x.Plus(y); return x; }", fixedBody);
    }

    [Fact]
    public void FixQualifiesKeptScalarsWhereItIsNotImportedStatically()
    {
        var fixedBody = FixAll("static Tensor F(Tensor x) => x * 0.5;", staticImport: false);
        Assert.Equal("static Tensor F(Tensor x) => x * KeptScalars.Of(0.5);", fixedBody);
    }

    [Fact]
    public void NoFixWhereKeptScalarsIsOutOfReach()
    {
        var document = Document("static Tensor F(Tensor x) => x * 0.5;", staticImport: false, withKeptScalars: false);
        var diagnostic = Assert.Single(Diagnostics(document));
        Assert.Empty(Fixes(document, diagnostic));
    }

    /// <summary>The body of class C after applying the code fix to each KP0001 in turn until none remains.</summary>
    static string FixAll(string members, bool staticImport = true)
    {
        var document = Document(members, staticImport, withKeptScalars: true);
        for (var round = 0; Diagnostics(document).FirstOrDefault() is { } diagnostic; round++)
        {
            Assert.True(round < 5, "the fix does not converge");
            var action = Assert.Single(Fixes(document, diagnostic));
            var operation = action.GetOperationsAsync(CancellationToken.None).GetAwaiter().GetResult().OfType<ApplyChangesOperation>().Single();
            document = operation.ChangedSolution.GetDocument(document.Id)!;
        }
        var text = document.GetTextAsync().GetAwaiter().GetResult().ToString();
        return text[(text.IndexOf('{') + 1)..text.LastIndexOf('}')].Trim();
    }

    static ImmutableArray<Diagnostic> Diagnostics(Document document)
    {
        var compilation = document.Project.GetCompilationAsync().GetAwaiter().GetResult()!;
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var tree = document.GetSyntaxTreeAsync().GetAwaiter().GetResult();
        return compilation.WithAnalyzers([new TemporaryScalarAnalyzer()]).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult()
            .Where(d => d.Location.SourceTree == tree).OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
    }

    static List<CodeAction> Fixes(Document document, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        new TemporaryScalarCodeFix().RegisterCodeFixesAsync(context).GetAwaiter().GetResult();
        return actions;
    }

    /// <summary>A document of class C holding <paramref name="members"/>, in a project compiled like KerasPort.Runtime.</summary>
    static Document Document(string members, bool staticImport, bool withKeptScalars)
    {
        var workspace = new AdhocWorkspace();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(Tensor).Assembly.Location).Distinct().Select(path => MetadataReference.CreateFromFile(path));
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Runtime", "Runtime", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest), metadataReferences: references));
        var usings = "global using System; global using System.Linq; global using System.Collections.Generic; global using TorchSharp; global using static TorchSharp.torch;"
            + (staticImport ? " global using static KerasPort.Runtime.KeptScalars;" : "");
        project = project.AddDocument("Usings.cs", usings).Project;
        if (withKeptScalars)
            project = project.AddDocument("KeptScalars.cs", SourceText.From(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "Runtime", "KeptScalars.cs")))).Project;
        return project.AddDocument("C.cs", $"namespace KerasPort.Runtime;\nstatic class C {{ {members} }}\n");
    }
}
