using System.Text;

namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>
/// Keras <c>TextVectorization</c> (keras/src/layers/preprocessing/text_vectorization.py): standardize, split, form
/// n-grams, then look the tokens up in a <see cref="StringLookup"/>-style table (mask <c>""</c> at 0, <c>[UNK]</c> at
/// 1). <c>int</c> output is padded with 0 (or truncated) to <c>output_sequence_length</c>, else to the longest row
/// of the batch, as TF's ragged <c>to_tensor</c>; the other modes count tokens per row. The string steps follow TF:
/// <c>tf.strings.lower</c> without an encoding lower-cases ASCII only (tensorflow/python/kernel_tests/strings_ops/
/// string_lower_op_test.py needs <c>encoding='utf-8'</c> for other letters); punctuation is Keras's regex
/// <c>[!"#$%&amp;()\*\+,-\./:;&lt;=&gt;?@\[\\\]^_`{|}~\']</c>, ASCII only; <c>tf.strings.split</c> splits on runs of ASCII
/// whitespace; <c>character</c> splits into Unicode code points; <c>tf.strings.ngrams</c> lists all n-grams of each
/// width in turn, joined by a space. Custom Python <c>standardize</c>/<c>split</c> functions are never run: a C#
/// stand-in registered with <see cref="LayerRegistry.RegisterTextStandardize"/> or
/// <see cref="LayerRegistry.RegisterTextSplit"/> replaces them.
/// </summary>
public sealed class TextVectorization : LookupTableLayer
{
    const string Punctuation = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~'";

    readonly IndexLookup table;
    readonly Func<string, string>? standardize;
    readonly Func<string, IEnumerable<string>>? split;
    readonly int[]? ngrams;
    readonly int? outputSequenceLength;

    /// <summary>Builds the layer.</summary>
    public TextVectorization(LayerContext context, TextVectorizationSpec spec) : base(context)
    {
        UnsupportedLayerException Refuse(string why) => new(context.ClassName, context.Name, why);
        table = new IndexLookup(context, spec.Lookup, integerKeys: false);
        standardize = spec.Standardize switch
        {
            null => null,
            { BuiltIn: "lower" } => Lower,
            { BuiltIn: "strip_punctuation" } => StripPunctuation,
            { BuiltIn: "lower_and_strip_punctuation" } => s => StripPunctuation(Lower(s)),
            var custom => context.Registry.TextStandardize(custom.FunctionNames)
                ?? throw Refuse($"its standardize is the custom Python function {custom.Description}, which KerasPort never runs; register a C# stand-in with LayerRegistry.RegisterTextStandardize(\"{custom.FunctionNames.First()}\", text => ...)"),
        };
        split = spec.Split switch
        {
            null => null,
            { BuiltIn: "whitespace" } => SplitWhitespace,
            { BuiltIn: "character" } => s => s.EnumerateRunes().Select(r => r.ToString()),
            var custom => context.Registry.TextSplit(custom.FunctionNames)
                ?? throw Refuse($"its split is the custom Python function {custom.Description}, which KerasPort never runs; register a C# stand-in with LayerRegistry.RegisterTextSplit(\"{custom.FunctionNames.First()}\", text => ...)"),
        };
        ngrams = spec.Ngrams;
        outputSequenceLength = spec.OutputSequenceLength;
        if (split is not null && table.OutputMode == "one_hot")
            throw Refuse("output_mode 'one_hot' after splitting one-hot encodes a ragged tensor, which only the TensorFlow backend has");
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var input = arguments.Input;
        var shape = input.Sizes();
        var texts = StringTensors.Of(input, Name);
        if (standardize is not null) texts = Array.ConvertAll(texts, s => standardize(s));
        if (split is null)
        {
            if (ngrams is not null) throw new KerasPortException($"layer '{Name}': ngrams without split is not supported");
            var ids = table.Lookup(texts);
            return [table.OutputMode == "int" && outputSequenceLength is { } fixedLength && shape.Length > 0
                ? Padded(ids.Chunk((int)Math.Max(1, shape[^1])).ToArray(), shape[..^1], fixedLength)
                : table.Output(ids, shape, Device)];
        }
        if (shape.Length > 1 && shape[^1] != 1)
            throw new KerasPortException($"layer '{Name}': to split strings, the input must be of rank 1 or end in an axis of size 1, got ({string.Join(", ", shape)})");
        var rows = texts.Select(t => Tokens(split(t).ToList())).Select(tokens => table.Lookup(tokens)).ToArray();
        long[] rowShape = shape.Length > 1 ? shape[..^1] : shape;
        if (table.OutputMode == "int") return [Padded(rows, rowShape, outputSequenceLength ?? (rows.Length == 0 ? 0 : rows.Max(r => r.Length)))];
        // multi_hot, count and tf_idf reduce each row: pad with an index past every bin, which encoding drops.
        int width = rows.Length == 0 ? 0 : rows.Max(r => r.Length);
        var flat = rows.SelectMany(r => r.Concat(Enumerable.Repeat(long.MaxValue, width - r.Length))).ToArray();
        return [table.Output(flat, [.. rowShape, width], Device)];
    }

    /// <summary>Rows of ids as an int64 tensor of <paramref name="rowShape"/> + [length], padded with 0 or truncated.</summary>
    Tensor Padded(long[][] rows, long[] rowShape, int length)
    {
        var data = new long[rows.Length * (long)length];
        for (int r = 0; r < rows.Length; r++) Array.Copy(rows[r], 0, data, r * (long)length, Math.Min(length, rows[r].Length));
        return TensorConversions.ToTensor(NdArray.Of(data, [.. rowShape, length]), Device);
    }

    /// <summary>The row's tokens, or its n-grams of every configured width in turn (tf.strings.ngrams, no padding).</summary>
    string[] Tokens(List<string> tokens)
    {
        if (ngrams is null) return [.. tokens];
        var result = new List<string>();
        foreach (int width in ngrams)
            for (int start = 0; start + width <= tokens.Count; start++)
                result.Add(string.Join(' ', tokens.GetRange(start, width)));
        return [.. result];
    }

    static string Lower(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text) builder.Append(char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c);
        return builder.ToString();
    }

    static string StripPunctuation(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
            if (!Punctuation.Contains(c)) builder.Append(c);
        return builder.ToString();
    }

    static IEnumerable<string> SplitWhitespace(string text) =>
        text.Split([' ', '\t', '\n', '\v', '\f', '\r'], StringSplitOptions.RemoveEmptyEntries);
}
