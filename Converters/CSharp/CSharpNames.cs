using System.Text;

namespace KerasPort.Converters.CSharp;

/// <summary>
/// C# identifiers for the generated class: Keras layer names made valid and unique (they also become the
/// <c>state_dict</c> keys), never clashing with keywords or with the TorchSharp names the generated code calls.
/// </summary>
internal sealed class CSharpNames
{
    /// <summary>C# keywords and the names the generated code refers to: a field or local of such a name would hide them.</summary>
    static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while", "var", "value", "args", "record", "init", "required", "scoped", "file",
        "Tensor", "Module", "Linear", "Conv1d", "Conv2d", "Conv3d", "LSTM", "GRU", "RNN", "Embedding", "Parameter", "F",
        "torch", "nn", "functional", "ScalarType", "TorchSharp", "System", "Math", "Array", "NonLinearities",
        "forward", "Load", "load", "eval", "train", "training", "RegisterComponents", "register_buffer", "register_parameter",
        "ChannelsFirst", "ChannelsLast", "SamePad", "MaxPool", "AvgPool", "AvgPoolSame", "KerasBatchNorm",
    };

    readonly HashSet<string> used = new(StringComparer.Ordinal);

    /// <summary>A new field identifier for <paramref name="name"/>.</summary>
    public string Field(string name) => Unique(Identifier(name));

    /// <summary>A new local variable identifier for <paramref name="name"/>.</summary>
    public string Local(string name) => Unique(Identifier(name));

    string Unique(string name)
    {
        var candidate = name;
        for (int i = 2; !used.Add(candidate); i++) candidate = $"{name}_{i}";
        return candidate;
    }

    /// <summary>Letters, digits and underscores of <paramref name="name"/>, not starting with a digit, never reserved.</summary>
    static string Identifier(string name)
    {
        var s = new StringBuilder();
        foreach (var c in name) s.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        if (s.Length == 0 || char.IsAsciiDigit(s[0])) s.Insert(0, '_');
        var identifier = s.ToString();
        return Reserved.Contains(identifier) ? identifier + "_" : identifier;
    }

    /// <summary>A PascalCase class name from <paramref name="name"/> (<c>stacked_lstm</c> → <c>StackedLstm</c>).</summary>
    public static string TypeName(string name)
    {
        var s = new StringBuilder();
        foreach (var part in System.Text.RegularExpressions.Regex.Split(name, "[^A-Za-z0-9]+").Where(p => p.Length > 0))
            s.Append(char.ToUpperInvariant(part[0])).Append(part[1..]);
        if (s.Length == 0 || char.IsAsciiDigit(s[0])) s.Insert(0, "Model");
        var identifier = s.ToString();
        return Reserved.Contains(identifier) ? identifier + "Model" : identifier;
    }

    /// <summary><paramref name="text"/> made safe for a one-line <c>//</c> comment.</summary>
    public static string Comment(string text) => text.Replace('\r', ' ').Replace('\n', ' ');

    /// <summary><paramref name="text"/> escaped for an XML doc comment line.</summary>
    public static string Xml(string text) => Comment(text).Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
