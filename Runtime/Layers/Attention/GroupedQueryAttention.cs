using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.Attention;

/// <summary>
/// Keras <c>GroupedQueryAttention</c> (exported as <c>GroupQueryAttention</c>): multi-head attention on
/// <c>(batch, length, features)</c> inputs with <c>num_query_heads</c> query heads sharing
/// <c>num_key_value_heads</c> key/value heads of size <c>head_dim</c>; the output has the query's feature size.
/// </summary>
public sealed class GroupedQueryAttention : KerasLayer
{
    /// <summary>Class names this layer stands for.</summary>
    public static readonly string[] ClassNames = ["GroupedQueryAttention", "GroupQueryAttention"];

    readonly MultiHeadCore core;

    /// <summary>Builds the layer.</summary>
    public GroupedQueryAttention(LayerContext context) : base(context)
    {
        int headDim = context.Int("head_dim", -1);
        int queryHeads = context.Int("num_query_heads", -1);
        int keyValueHeads = context.Int("num_key_value_heads", -1);
        if (headDim <= 0 || queryHeads <= 0 || keyValueHeads <= 0)
            throw new FormatException($"{context.ClassName} '{context.Name}' needs positive 'head_dim', 'num_query_heads' and 'num_key_value_heads'");
        core = new MultiHeadCore(context, Own, queryHeads, keyValueHeads, headDim, headDim, null, [1], context.Bool("use_bias", true));
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => core.Call(AttentionArguments.FromSignature(arguments, Name));

    /// <inheritdoc />
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) =>
        AttentionArguments.FromSignature(arguments, Name).QueryMask;
}
