using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace KerasPort.Analyzers;

/// <summary>
/// KP0001: code hands libtorch a temporary TorchSharp <c>Scalar</c>. TorchSharp 0.107 passes a Scalar's native handle
/// to libtorch without keeping the managed object alive, so a temporary one can be finalized by a garbage collection
/// on another thread in the middle of the native call (Runtime/KeptScalars.cs). Flagged: an implicit conversion to
/// <c>Scalar</c> (<c>x * 0.5</c>, <c>x.add(y, alpha: 2)</c>), and a call of a TorchSharp member that makes one inside
/// (<c>x + y</c>, whose <c>alpha = 1</c> is one; <c>x.square()</c>, a temporary 2), listed in
/// TorchSharpScalarMakers.txt, which Tests/Hardening/ScalarLifetimeTests derives from TorchSharp's IL.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TemporaryScalarAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The diagnostic id.</summary>
    public const string Id = "KP0001";

    /// <summary>The rule: an error wherever code hands libtorch a temporary Scalar.</summary>
    public static readonly DiagnosticDescriptor Rule = new(
        Id,
        "libtorch gets a temporary TorchSharp Scalar",
        "{0} hands libtorch a temporary Scalar that a garbage collection may free during the native call; pass a kept one instead: KeptScalars.Of(value), or KeptScalars.Plus / Minus / Squared / PlusInPlace for tensor arithmetic",
        "Reliability",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "TorchSharp 0.107 hands libtorch only a Scalar's native handle, so a temporary Scalar (an implicit x * 0.5, or the alpha = 1 that Tensor + Tensor makes) can be finalized on another thread while libtorch still reads it. Use the cached scalars of KeptScalars.");

    /// <summary>The key under which TorchSharpScalarMakers.txt lists <paramref name="method"/>: <c>Type::Name(ParameterTypes)</c>, metadata names.</summary>
    public static string Key(IMethodSymbol method) =>
        $"{method.ContainingType.MetadataName}::{method.MetadataName}({string.Join(",", method.OriginalDefinition.Parameters.Select(p => TypeName(p.Type)))})";

    static string TypeName(ITypeSymbol type) => type is IArrayTypeSymbol array ? TypeName(array.ElementType) + "[]" : type.MetadataName;

    /// <summary>The TorchSharp members (<see cref="Key"/>) whose code makes a temporary Scalar, as this analyzer ships them.</summary>
    public static IReadOnlyCollection<string> ScalarMakers => Makers.Value;

    static readonly Lazy<HashSet<string>> Makers = new(() =>
    {
        using var stream = typeof(TemporaryScalarAnalyzer).Assembly.GetManifestResourceStream("TorchSharpScalarMakers.txt");
        using var reader = new StreamReader(stream!);
        var makers = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
            if (line.Length > 0 && line[0] != '#') makers.Add(line);
        return makers;
    });

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName("TorchSharp.Scalar") is not { } scalar) return;
            start.RegisterOperationAction(c => AnalyzeConversion(c, scalar), OperationKind.Conversion);
            start.RegisterOperationAction(AnalyzeCall, OperationKind.Invocation, OperationKind.Binary, OperationKind.CompoundAssignment, OperationKind.Unary);
        });
    }

    static void AnalyzeConversion(OperationAnalysisContext context, INamedTypeSymbol scalar)
    {
        if (TemporaryScalarIn(context.Operation, scalar) is { } finding)
            context.ReportDiagnostic(Diagnostic.Create(Rule, finding.Location, finding.What));
    }

    static void AnalyzeCall(OperationAnalysisContext context)
    {
        if (TemporaryScalarMadeBy(context.Operation) is { } finding)
            context.ReportDiagnostic(Diagnostic.Create(Rule, finding.Location, finding.What));
    }

    /// <summary>
    /// How many temporary Scalars <paramref name="operation"/> and its descendants hand libtorch (what this analyzer
    /// reports there); the KP0001 code fix checks its rewrites with it.
    /// </summary>
    public static int TemporaryScalarsIn(IOperation operation)
    {
        var scalar = operation.SemanticModel?.Compilation.GetTypeByMetadataName("TorchSharp.Scalar");
        return scalar is null ? 0 : new[] { operation }.Concat(operation.Descendants())
            .Count(o => TemporaryScalarIn(o, scalar) is not null || TemporaryScalarMadeBy(o) is not null);
    }

    /// <summary>An implicit user-defined conversion to Scalar: where it is (its operand) and what to call it.</summary>
    static (Location Location, string What)? TemporaryScalarIn(IOperation operation, INamedTypeSymbol scalar) =>
        operation is IConversionOperation { Conversion: { IsUserDefined: true, IsImplicit: true } } conversion
        && SymbolEqualityComparer.Default.Equals(conversion.Type, scalar)
            ? (conversion.Operand.Syntax.GetLocation(), $"The implicit conversion of '{conversion.Operand.Syntax}' to Scalar")
            : null;

    /// <summary>A call of a TorchSharp member that makes a temporary Scalar inside: where it is and which member.</summary>
    static (Location Location, string What)? TemporaryScalarMadeBy(IOperation operation)
    {
        var method = operation switch
        {
            IInvocationOperation call => call.TargetMethod,
            IBinaryOperation binary => binary.OperatorMethod,
            ICompoundAssignmentOperation assignment => assignment.OperatorMethod,
            IUnaryOperation unary => unary.OperatorMethod,
            _ => null,
        };
        return method is { ContainingAssembly.Name: "TorchSharp" } && Makers.Value.Contains(Key(method))
            && !InvokesWithoutScalars(operation, method)
                ? (operation.Syntax.GetLocation(), $"{method.ContainingType.Name}.{method.Name}")
                : null;
    }

    /// <summary>
    /// A TorchScript <c>ScriptModule.invoke</c> whose arguments (after the method name) are all tensors, <c>int</c>s,
    /// <c>bool</c>s or <c>null</c>: TorchSharp hands those to TorchScript as handles, immediates and None; only float,
    /// double and long arguments go through a temporary Scalar (ScriptModule.DetermineArgumentTypeRefs).
    /// </summary>
    static bool InvokesWithoutScalars(IOperation operation, IMethodSymbol method) =>
        method is { Name: "invoke", ContainingType.Name: "ScriptModule" } && operation.Syntax is InvocationExpressionSyntax call
        && operation.SemanticModel is { } model
        && call.ArgumentList.Arguments.Skip(1).All(argument =>
            argument.Expression.IsKind(SyntaxKind.NullLiteralExpression)
            || model.GetTypeInfo(argument.Expression).Type?.ToDisplayString() is "TorchSharp.torch.Tensor" or "TorchSharp.torch.Tensor?" or "int" or "bool");
}
