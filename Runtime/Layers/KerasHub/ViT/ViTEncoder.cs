using System.Text.Json.Nodes;
using KerasPort.Converters.Keras;
using KerasPort.Runtime.Layers.KerasHub.Modeling;
using KerasPort.Specs.KerasHub;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.KerasHub.ViT;

/// <summary>
/// keras_hub <c>ViTEncoder</c> (keras_hub/src/models/vit/vit_layers.py): dropout, the <see cref="ViTEncoderBlock"/>s in
/// order, then LayerNormalization. The blocks' weights are saved under <c>encoder_layers/vi_t_encoder_block</c>,
/// <c>encoder_layers/vi_t_encoder_block_1</c>, ... (a list's elements are keyed by snake-cased class).
/// </summary>
public sealed class ViTEncoder : KerasLayer
{
    readonly HubSublayers sublayers;
    readonly KerasLayer dropout, norm;
    readonly IReadOnlyList<KerasLayer> blocks;

    /// <summary>Builds the blocks and the final norm.</summary>
    public ViTEncoder(LayerContext context, ViTEncoderSpec spec) : base(context)
    {
        sublayers = new HubSublayers(context);
        try
        {
            var block = spec.Block;
            var key = KerasConfigReader.ToSnakeCase("ViTEncoderBlock");
            blocks = [.. Enumerable.Range(0, spec.NumLayers).Select(i => sublayers.Create($"encoder_layers/{(i == 0 ? key : $"{key}_{i}")}",
                "keras_hub>ViTEncoderBlock", new JsonObject
                {
                    ["name"] = $"transformer_block_{i + 1}", ["num_heads"] = block.NumHeads, ["hidden_dim"] = block.HiddenDim, ["mlp_dim"] = block.MlpDim,
                    ["use_mha_bias"] = block.UseMhaBias, ["use_mlp_bias"] = block.UseMlpBias, ["dropout_rate"] = block.DropoutRate,
                    ["attention_dropout"] = block.AttentionDropout, ["layer_norm_epsilon"] = block.LayerNormEpsilon,
                }))];
            dropout = sublayers.Dropout("dropout", block.DropoutRate);
            norm = sublayers.Create("layer_norm", "LayerNormalization", new JsonObject { ["name"] = "ln", ["axis"] = -1, ["epsilon"] = block.LayerNormEpsilon });
        }
        catch
        {
            sublayers.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        using var scope = NewDisposeScope();
        var x = HubSublayers.Apply(dropout, arguments, arguments.Input);
        foreach (var block in blocks) x = HubSublayers.Apply(block, arguments, x);
        return [HubSublayers.Apply(norm, arguments, x).MoveToOuterDisposeScope()];
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) sublayers.Dispose();
        base.Dispose(disposing);
    }
}
