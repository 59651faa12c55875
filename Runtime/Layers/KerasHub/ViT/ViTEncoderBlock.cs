using System.Text.Json.Nodes;
using KerasPort.Runtime.Layers.KerasHub.Modeling;
using KerasPort.Specs.KerasHub;
using static KerasPort.Runtime.KeptScalars;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.KerasHub.ViT;

/// <summary>
/// keras_hub <c>ViTEncoderBlock</c> (keras_hub/src/models/vit/vit_layers.py): pre-LN self-attention and MLP, each a
/// residual. Sublayers (by the attribute their weights are saved under): <c>layer_norm_1</c>, <c>mha</c> (Keras
/// MultiHeadAttention), <c>layer_norm_2</c>, <c>mlp/dense_1</c>, <c>mlp/dense_2</c>.
/// </summary>
public sealed class ViTEncoderBlock : KerasLayer
{
    readonly HubSublayers sublayers;
    readonly KerasLayer attentionNorm, attention, attentionDropout, mlpNorm, mlpIntermediate, mlpOutput, mlpDropout;

    /// <summary>Builds the block's sublayers, in the order its <c>build</c> creates them.</summary>
    public ViTEncoderBlock(LayerContext context, ViTEncoderBlockSpec spec) : base(context)
    {
        sublayers = new HubSublayers(context);
        try
        {
            attentionNorm = LayerNorm("layer_norm_1", "ln_1", spec.LayerNormEpsilon);
            attention = sublayers.Create("mha", "MultiHeadAttention", new JsonObject
            {
                ["name"] = "mha", ["num_heads"] = spec.NumHeads, ["key_dim"] = spec.KeyDim, ["use_bias"] = spec.UseMhaBias,
                ["dropout"] = spec.AttentionDropout,
            });
            attentionDropout = sublayers.Dropout("dropout", spec.DropoutRate);
            mlpNorm = LayerNorm("layer_norm_2", "ln_2", spec.LayerNormEpsilon);
            mlpIntermediate = Dense("dense_1", spec.MlpDim, "gelu", spec.UseMlpBias);
            mlpOutput = Dense("dense_2", spec.HiddenDim, "linear", spec.UseMlpBias);
            mlpDropout = sublayers.Create("mlp/dropout", "Dropout", new JsonObject { ["name"] = "dropout", ["rate"] = spec.DropoutRate });
        }
        catch
        {
            sublayers.Dispose();
            throw;
        }
    }

    KerasLayer LayerNorm(string attribute, string name, double epsilon) =>
        sublayers.Create(attribute, "LayerNormalization", new JsonObject { ["name"] = name, ["axis"] = -1, ["epsilon"] = epsilon });

    // vit_layers.py MLP: Dense(activation="gelu") is Keras's exact (erf) gelu.
    KerasLayer Dense(string name, int units, string activation, bool useBias) =>
        sublayers.Create("mlp/" + name, "Dense", new JsonObject { ["name"] = name, ["units"] = units, ["activation"] = activation, ["use_bias"] = useBias });

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        using var scope = NewDisposeScope();
        var inputs = arguments.Input;
        var normalized = HubSublayers.Apply(attentionNorm, arguments, inputs);
        var attended = attention.Call(arguments.ForInner([normalized, normalized], new Dictionary<string, object?>(), null))[0];
        var x = HubSublayers.Apply(attentionDropout, arguments, attended).Plus(inputs);
        var y = HubSublayers.Apply(mlpNorm, arguments, x);
        y = HubSublayers.Apply(mlpDropout, arguments, HubSublayers.Apply(mlpIntermediate, arguments, y));
        y = HubSublayers.Apply(mlpDropout, arguments, HubSublayers.Apply(mlpOutput, arguments, y));
        return [x.Plus(y).MoveToOuterDisposeScope()];
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) sublayers.Dispose();
        base.Dispose(disposing);
    }
}
