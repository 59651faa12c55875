using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

namespace KerasPort.Analyzers;

/// <summary>
/// The fix of KP0001 (<see cref="TemporaryScalarAnalyzer"/>): rewrites the flagged expression in the KeptScalars form
/// the runtime uses (Runtime/KeptScalars.cs): <c>x * 0.5</c> to <c>x * Of(0.5)</c>, <c>x + y</c> and
/// <c>x.add(y)</c> to <c>x.Plus(y)</c>, <c>2.0 - x</c> to <c>Minus(2.0, x)</c>, <c>1 - x</c> to <c>x.OneMinus()</c>,
/// <c>x.add_(y)</c> to <c>x.PlusInPlace(y)</c>, <c>x.square()</c> to <c>x.Squared()</c>, <c>a += b</c> to
/// <c>a = a.Plus(b)</c>. Each candidate is compiled in place and offered only when it binds to KeptScalars, keeps the
/// expression's type, and removes the flagged temporary Scalar without making another; where none does (KeptScalars is internal to
/// KerasPort.Runtime), no fix is offered.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TemporaryScalarCodeFix)), Shared]
public sealed class TemporaryScalarCodeFix : CodeFixProvider
{
    /// <summary>The name of the class of kept scalars, as the candidates spell it when it is imported.</summary>
    const string Kept = "KeptScalars";

    /// <summary>The spellings of KeptScalars' static members tried in turn: imported statically, imported, fully qualified.</summary>
    static readonly string[] Qualifiers = ["", Kept + ".", "KerasPort.Runtime." + Kept + "."];

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(TemporaryScalarAnalyzer.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var document = context.Document;
        if (await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false) is not { } root
            || await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false) is not { } model) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var flagged = node is ArgumentSyntax argument ? argument.Expression : node as ExpressionSyntax;
            if (flagged is null) continue;
            foreach (var candidate in Candidates(flagged, model))
            {
                var fixedDocument = await KeptFormOrNull(document, root, flagged, model, candidate, context.CancellationToken).ConfigureAwait(false);
                if (fixedDocument is null) continue;
                context.RegisterCodeFix(
                    CodeAction.Create($"Keep the Scalar alive: {candidate.NormalizeWhitespace()}", _ => Task.FromResult(fixedDocument), nameof(TemporaryScalarCodeFix)),
                    diagnostic);
                break;
            }
        }
    }

    /// <summary>
    /// <paramref name="document"/> with <paramref name="flagged"/> replaced by <paramref name="candidate"/>, or null
    /// where the candidate does not compile to the same type through KeptScalars without a temporary Scalar.
    /// </summary>
    static async Task<Document?> KeptFormOrNull(Document document, SyntaxNode root, ExpressionSyntax flagged, SemanticModel model,
        ExpressionSyntax candidate, CancellationToken cancellation)
    {
        var marker = new SyntaxAnnotation();
        var replacement = candidate.WithTriviaFrom(flagged).WithAdditionalAnnotations(marker, Simplifier.Annotation, Formatter.Annotation);
        var fixedDocument = document.WithSyntaxRoot(root.ReplaceNode(flagged, replacement));
        var fixedRoot = await fixedDocument.GetSyntaxRootAsync(cancellation).ConfigureAwait(false);
        var fixedModel = await fixedDocument.GetSemanticModelAsync(cancellation).ConfigureAwait(false);
        if (fixedRoot?.GetAnnotatedNodes(marker).SingleOrDefault() is not ExpressionSyntax placed || fixedModel is null) return null;
        var compiles = !fixedModel.GetDiagnostics(placed.Span, cancellation).Any(d => d.Severity == DiagnosticSeverity.Error);
        var sameType = SymbolEqualityComparer.Default.Equals(fixedModel.GetTypeInfo(placed, cancellation).ConvertedType, model.GetTypeInfo(flagged, cancellation).ConvertedType);
        var usesKeptScalars = placed.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>()
            .Any(call => fixedModel.GetSymbolInfo(call, cancellation).Symbol is IMethodSymbol { ContainingType.Name: Kept });
        // Fewer temporaries than before: the flagged one is gone, and any left are nested ones with fixes of their own.
        var (before, after) = (WithImplicitConversion(model.GetOperation(flagged, cancellation)), WithImplicitConversion(fixedModel.GetOperation(placed, cancellation)));
        return compiles && sameType && usesKeptScalars && before is not null && after is not null
            && TemporaryScalarAnalyzer.TemporaryScalarsIn(after) < TemporaryScalarAnalyzer.TemporaryScalarsIn(before)
            ? fixedDocument
            : null;
    }

    /// <summary><paramref name="operation"/>, or the implicit conversion of its value (to Scalar, where KP0001 flags it) that encloses it.</summary>
    static IOperation? WithImplicitConversion(IOperation? operation) =>
        operation?.Parent is IConversionOperation { IsImplicit: true } conversion ? conversion : operation;

    /// <summary>The KeptScalars forms of <paramref name="flagged"/>, in order of preference.</summary>
    static IEnumerable<ExpressionSyntax> Candidates(ExpressionSyntax flagged, SemanticModel model)
    {
        foreach (var qualifier in Qualifiers)
        {
            var forms = flagged switch
            {
                BinaryExpressionSyntax binary => BinaryForms(binary.Left, binary.OperatorToken, binary.Right, model, qualifier),
                AssignmentExpressionSyntax { Left: var target } assignment when assignment.OperatorToken.IsKind(SyntaxKind.PlusEqualsToken)
                    || assignment.OperatorToken.IsKind(SyntaxKind.MinusEqualsToken) || assignment.OperatorToken.IsKind(SyntaxKind.AsteriskEqualsToken)
                    || assignment.OperatorToken.IsKind(SyntaxKind.SlashEqualsToken)
                    => BinaryForms(target, BinaryOperatorOf(assignment.OperatorToken), assignment.Right, model, qualifier)
                        .Select(value => (ExpressionSyntax)SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, target, value)),
                InvocationExpressionSyntax call => InvocationForms(call, model, qualifier),
                _ => [KeptScalar(flagged, qualifier)],
            };
            foreach (var form in forms) yield return form;
        }
    }

    /// <summary><c>l op r</c> for tensors and numbers: <c>Plus</c>, <c>Minus</c> and <c>OneMinus</c> where TorchSharp's operator makes a temporary alpha or scalar, else the number wrapped in <c>Of</c>.</summary>
    static IEnumerable<ExpressionSyntax> BinaryForms(ExpressionSyntax left, SyntaxToken op, ExpressionSyntax right, SemanticModel model, string qualifier)
    {
        var (leftKind, rightKind) = (KindOf(left, model), KindOf(right, model));
        if (op.IsKind(SyntaxKind.PlusToken))
        {
            // Addition of a tensor and a number commutes exactly, so the tensor may come first.
            var (tensor, other, otherKind) = leftKind == Kind.Tensor ? (left, right, rightKind) : (right, left, leftKind);
            if (KindOf(tensor, model) == Kind.Tensor)
            {
                if (otherKind is Kind.Tensor or Kind.Floating) yield return Call(tensor, "Plus", other);
                if (otherKind is Kind.Integral or Kind.Floating) yield return Call(tensor, "add", KeptScalar(other, qualifier), KeptScalar(One, qualifier));
                if (otherKind is Kind.Scalar) yield return Call(tensor, "add", other, KeptScalar(One, qualifier));
            }
        }
        if (op.IsKind(SyntaxKind.MinusToken) && rightKind == Kind.Tensor)
        {
            if (leftKind is Kind.Integral && left is LiteralExpressionSyntax { Token.ValueText: "1" }) yield return Call(right, "OneMinus");
            if (leftKind is Kind.Floating or Kind.Integral)
                yield return SyntaxFactory.InvocationExpression(SyntaxFactory.ParseExpression(qualifier + "Minus"), Arguments(left, right));
        }
        var binaryKind = SyntaxFacts.GetBinaryExpression(op.Kind());
        if (binaryKind == SyntaxKind.None) yield break;
        if (rightKind is Kind.Floating or Kind.Integral && leftKind == Kind.Tensor)
            yield return SyntaxFactory.BinaryExpression(binaryKind, left, KeptScalar(right, qualifier));
        if (leftKind is Kind.Floating or Kind.Integral && rightKind == Kind.Tensor)
            yield return SyntaxFactory.BinaryExpression(binaryKind, KeptScalar(left, qualifier), right);
    }

    /// <summary><c>x.add(y)</c>, <c>x.add_(y)</c>, <c>x.square()</c> as KeptScalars' extensions; else every number argument wrapped in <c>Of</c>.</summary>
    static IEnumerable<ExpressionSyntax> InvocationForms(InvocationExpressionSyntax call, SemanticModel model, string qualifier)
    {
        var arguments = call.ArgumentList.Arguments;
        if (call.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name, Expression: var receiver })
        {
            var kept = (name, arguments.Count) switch
            {
                ("add", 1) => "Plus",
                ("add_", 1) => "PlusInPlace",
                ("square", 0) => "Squared",
                _ => null,
            };
            if (kept is not null) yield return Call(receiver, kept, arguments.Select(a => a.Expression).ToArray());
        }
        if (arguments.Any(a => KindOf(a.Expression, model) is Kind.Floating or Kind.Integral))
            yield return call.WithArgumentList(call.ArgumentList.WithArguments(SyntaxFactory.SeparatedList(arguments.Select(a =>
                KindOf(a.Expression, model) is Kind.Floating or Kind.Integral ? a.WithExpression(KeptScalar(a.Expression, qualifier)) : a))));
    }

    static readonly ExpressionSyntax One = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(1));

    static SyntaxToken BinaryOperatorOf(SyntaxToken compound) => SyntaxFactory.Token(compound.Kind() switch
    {
        SyntaxKind.PlusEqualsToken => SyntaxKind.PlusToken,
        SyntaxKind.MinusEqualsToken => SyntaxKind.MinusToken,
        SyntaxKind.AsteriskEqualsToken => SyntaxKind.AsteriskToken,
        _ => SyntaxKind.SlashToken,
    });

    static ExpressionSyntax KeptScalar(ExpressionSyntax value, string qualifier) =>
        SyntaxFactory.InvocationExpression(SyntaxFactory.ParseExpression(qualifier + "Of"), Arguments(value.WithoutTrivia()));

    static ExpressionSyntax Call(ExpressionSyntax receiver, string method, params ExpressionSyntax[] arguments) =>
        SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, Receiver(receiver.WithoutTrivia()), SyntaxFactory.IdentifierName(method)),
            Arguments(arguments));

    static ArgumentListSyntax Arguments(params ExpressionSyntax[] arguments) =>
        SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(arguments.Select(a => SyntaxFactory.Argument(a.WithoutTrivia()))));

    /// <summary><paramref name="receiver"/> parenthesized unless it is already a primary expression (the simplifier drops needless parentheses).</summary>
    static ExpressionSyntax Receiver(ExpressionSyntax receiver) => receiver is IdentifierNameSyntax or MemberAccessExpressionSyntax
        or InvocationExpressionSyntax or ElementAccessExpressionSyntax or ParenthesizedExpressionSyntax or ThisExpressionSyntax
        ? receiver
        : SyntaxFactory.ParenthesizedExpression(receiver);

    enum Kind { Other, Tensor, Scalar, Integral, Floating }

    static Kind KindOf(ExpressionSyntax expression, SemanticModel model) => model.GetTypeInfo(expression).Type switch
    {
        { SpecialType: SpecialType.System_Double or SpecialType.System_Single } => Kind.Floating,
        { SpecialType: SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16 or SpecialType.System_Byte or SpecialType.System_SByte } => Kind.Integral,
        { Name: "Tensor", ContainingType.Name: "torch" } => Kind.Tensor,
        { Name: "Scalar", ContainingNamespace.Name: "TorchSharp" } => Kind.Scalar,
        _ => Kind.Other,
    };
}
