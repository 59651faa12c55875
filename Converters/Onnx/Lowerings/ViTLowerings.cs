using KerasPort.KerasHub;

namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// keras_hub's ViT layers as ONNX nodes (reference semantics: Runtime/Layers/KerasHub/ViT): they compose the lowerings
/// of the sublayers the runtime builds (<see cref="ViTSublayers"/>); dropout is the identity at inference and is left out.
/// </summary>
internal static class ViTLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<ViTPatchingAndEmbeddingSpec>(table, PatchingAndEmbedding);
        OnnxLowerings.Add<ViTEncoderBlockSpec>(table, EncoderBlock);
        OnnxLowerings.Add<ViTEncoderSpec>(table, Encoder);
    }

    /// <summary>Patches flattened to <c>(batch, patches, hidden)</c>, the class token first, plus the position table.</summary>
    static OnnxLowered PatchingAndEmbedding(OnnxLayerCall c, ViTPatchingAndEmbeddingSpec s)
    {
        var g = c.Graph;
        var patches = Lower(c, ViTSublayers.PatchEmbedding(c, s), c.Input);
        if (s.ChannelsFirst) patches = g.Transpose(patches, 0, 2, 3, 1);
        patches = g.Reshape(patches, 0, -1, s.HiddenDim);
        if (s.UseClassToken)
        {
            int index = ViTSublayers.OwnWeight(c);
            if (index < 0) throw new WeightMismatchException(c.Name, "vars/0", "ViTPatchingAndEmbedding needs its class_token (vars/0)");
            var token = c.Weight(index, "class_token", 1, 1, s.HiddenDim);
            var shape = g.Concat([g.Slice(g.ShapeOf(patches), 0, 0, 1), g.Longs(1, s.HiddenDim)], 0);
            patches = g.Concat([g.Expand(token, shape, [patches.Shape[0], 1, s.HiddenDim]), patches], 1);
        }
        // position_embedding(arange(num_positions)) is the whole table.
        var positions = ViTSublayers.PositionEmbedding(c, s);
        var table = c.Inner(positions, [patches], new Dictionary<string, object?>(), null).Weight(0, "embeddings", s.NumPositions, s.HiddenDim);
        return c.Pass(g.Add(patches, table));
    }

    /// <summary><c>x = inputs + mha(ln_1(inputs), ln_1(inputs))</c>, then <c>x + mlp(ln_2(x))</c>.</summary>
    static OnnxLowered EncoderBlock(OnnxLayerCall c, ViTEncoderBlockSpec s)
    {
        var g = c.Graph;
        var (attentionNorm, attention, mlpNorm, intermediate, output) = ViTSublayers.Block(c, s);
        var normalized = Lower(c, attentionNorm, c.Input);
        var call = c.Inner(attention, [normalized, normalized], new Dictionary<string, object?>(), null);
        var x = g.Add(OnnxModelWriter.Lowering(call)(call).Outputs[0], c.Input);
        return c.Pass(g.Add(x, Lower(c, output, Lower(c, intermediate, Lower(c, mlpNorm, x)))));
    }

    static OnnxLowered Encoder(OnnxLayerCall c, ViTEncoderSpec s)
    {
        var (blocks, norm) = ViTSublayers.Encoder(c, s);
        return c.Pass(Lower(c, norm, blocks.Aggregate(c.Input, (x, block) => Lower(c, block, x))));
    }

    /// <summary>The first output of <paramref name="sublayer"/>'s lowering on <paramref name="x"/> alone.</summary>
    static OnnxValue Lower(OnnxLayerCall c, LayerDescription sublayer, OnnxValue x)
    {
        var call = c.Inner(sublayer, [x], new Dictionary<string, object?>(), null);
        return OnnxModelWriter.Lowering(call)(call).Outputs[0];
    }
}
