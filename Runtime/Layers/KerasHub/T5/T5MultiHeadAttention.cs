using KerasPort.Runtime.Layers.KerasHub.Modeling;

namespace KerasPort.Runtime.Layers.KerasHub.T5;

/// <summary>
/// keras_hub <c>T5MultiHeadAttention</c> (keras_hub/src/models/t5/t5_multi_head_attention.py <c>call</c>, without the
/// past key/value cache); see <see cref="T5MultiHeadAttentionSpec"/>. The graph call takes <c>hidden_states, mask=None,
/// key_value_states=None, position_bias=None</c> and returns the output and the position bias.
/// </summary>
public sealed class T5MultiHeadAttention : KerasLayer
{
    readonly T5MultiHeadAttentionSpec spec;
    readonly HubSublayers sublayers;
    readonly KerasLayer query, key, value, output, dropout;
    readonly Tensor? relativeBias;

    /// <summary>Builds the projections and, for the first layer of a stack, the relative position bias table (<c>vars/0</c>).</summary>
    public T5MultiHeadAttention(LayerContext context, T5MultiHeadAttentionSpec spec) : base(context)
    {
        this.spec = spec;
        sublayers = new HubSublayers(context);
        try
        {
            query = Projection("query_projector", spec.InnerDim);
            key = Projection("key_projector", spec.InnerDim);
            value = Projection("value_projector", spec.InnerDim);
            output = Projection("output_projector", spec.HiddenDim);
            dropout = sublayers.Dropout("dropout_layer", spec.Dropout);
            if (spec.UseRelativeAttentionBias)
            {
                int index = context.Weights.Select(w => w.Name).ToList().IndexOf("vars/0");
                if (index < 0) throw new WeightMismatchException(Name, "vars/0", "T5MultiHeadAttention needs its relative attention bias (vars/0)");
                relativeBias = Own(context.Weight(index, "embeddings", T5MultiHeadAttentionSpec.Buckets, spec.NumHeads));
            }
        }
        catch
        {
            sublayers.Dispose();
            throw;
        }
    }

    KerasLayer Projection(string name, int units) =>
        sublayers.Create(name, "Dense", new JsonObject { ["name"] = name, ["units"] = units, ["use_bias"] = false });

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        object? Argument(int position, string name) => HubSublayers.Argument(arguments, position, name);
        var (attended, bias) = Attend(arguments, arguments.Input, Argument(1, "mask") as Tensor, Argument(2, "key_value_states") as Tensor,
            Argument(3, "position_bias") as Tensor);
        return [attended, bias];
    }

    /// <summary>
    /// Attention of <paramref name="hidden"/> <c>(batch, T, hidden)</c> over itself or <paramref name="keyValue"/>
    /// <c>(batch, S, hidden)</c>. <paramref name="positionBias"/> <c>(batch or 1, heads, T, S)</c> is used as it is;
    /// without one, this layer's (or zeros) plus the <paramref name="mask"/> <c>(batch, T or 1, S)</c> (non-zero attends)
    /// is. Returns the output and the bias used.
    /// </summary>
    public (Tensor Output, Tensor PositionBias) Attend(CallArguments call, Tensor hidden, Tensor? mask, Tensor? keyValue, Tensor? positionBias)
    {
        using var scope = NewDisposeScope();
        long batch = hidden.shape[0], queryLength = hidden.shape[1];
        var source = keyValue ?? hidden;
        long keyLength = source.shape[1];
        Tensor Heads(Tensor x) => x.reshape(batch, -1, spec.NumHeads, spec.KeyValueDim).transpose(1, 2);
        var q = Heads(HubSublayers.Apply(query, call, hidden));
        var k = Heads(HubSublayers.Apply(key, call, source));
        var v = Heads(HubSublayers.Apply(value, call, source));
        var scores = q.MatmulChecked(k.transpose(-1, -2));
        if (positionBias is null)
        {
            positionBias = relativeBias is null
                ? zeros(1, spec.NumHeads, queryLength, keyLength, dtype: scores.dtype, device: scores.device)
                : ComputeBias(queryLength, keyLength, scores.device);
            if (mask is not null) positionBias = positionBias.Plus(Minus(1.0, mask.unsqueeze(1).to_type(positionBias.dtype)).mul(Of(-1e9)));
        }
        var weights = HubSublayers.Apply(dropout, call, scores.Plus(positionBias).softmax(-1));
        var attended = weights.MatmulChecked(v).transpose(1, 2).reshape(batch, -1, spec.InnerDim);
        var result = HubSublayers.Apply(output, call, attended);
        return (result.MoveToOuterDisposeScope(), positionBias.alias().MoveToOuterDisposeScope());
    }

    /// <summary><c>compute_bias</c>: the table's rows for each (query, key) position pair's bucket, <c>(1, heads, T, S)</c>.</summary>
    Tensor ComputeBias(long queryLength, long keyLength, Device device)
    {
        using var context = arange(Of(0L), Of(queryLength), Of(1L), dtype: int64, device: device).unsqueeze(1);
        using var memory = arange(Of(0L), Of(keyLength), Of(1L), dtype: int64, device: device).unsqueeze(0);
        using var relative = memory - context;
        using var buckets = RelativePositionBucket(relative, bidirectional: !spec.IsDecoder);
        return relativeBias!.index_select(0, buckets.flatten()).reshape(queryLength, keyLength, spec.NumHeads).permute(2, 0, 1).unsqueeze(0);
    }

    /// <summary>
    /// <c>_relative_position_bucket</c> (Mesh TensorFlow's): half the buckets for each direction when bidirectional,
    /// exact buckets below <c>num_buckets / 2</c>, logarithmic ones up to <c>max_distance</c> (computed in float32 and
    /// truncated, as the Python does).
    /// </summary>
    static Tensor RelativePositionBucket(Tensor relative, bool bidirectional)
    {
        using var scope = NewDisposeScope();
        int buckets = T5MultiHeadAttentionSpec.Buckets;
        var result = zeros_like(relative);
        if (bidirectional)
        {
            buckets /= 2;
            result = relative.gt(Of(0L)).to_type(relative.dtype).mul(Of((long)buckets));
            relative = relative.abs();
        }
        else relative = relative.clamp_max(Of(0L)).neg();
        int maxExact = buckets / 2;
        var isSmall = relative.lt(Of((long)maxExact));
        using var logRange = tensor((float)Math.Log(T5MultiHeadAttentionSpec.MaxDistance / (double)maxExact), dtype: float32, device: relative.device);
        var large = relative.to_type(float32).div(Of((double)maxExact)).log().div(logRange).mul(Of((double)(buckets - maxExact)))
            .to_type(relative.dtype).add(Of((long)maxExact), Of(1L)).clamp_max(Of((long)(buckets - 1)));
        return result.add(where(isSmall, relative, large), Of(1L)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) sublayers.Dispose();
        base.Dispose(disposing);
    }
}
