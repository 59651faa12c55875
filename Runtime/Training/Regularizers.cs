using TorchSharp;

namespace KerasPort.Runtime.Training;

/// <summary>
/// Keras's L1/L2 penalties (keras/src/regularizers/regularizers.py): <c>L1</c> is <c>l1 * sum(|x|)</c>,
/// <c>L2</c> is <c>l2 * sum(x^2)</c> (no factor 1/2), <c>L1L2</c> adds the non-zero ones. The factors are float32
/// scalars, as Keras converts them to tensors.
/// </summary>
public sealed class Regularizer
{
    /// <summary>A regularizer with factors <paramref name="l1"/> and <paramref name="l2"/> (zero: term left out).</summary>
    public Regularizer(double l1, double l2)
    {
        L1 = l1;
        L2 = l2;
    }

    /// <summary>The L1 factor.</summary>
    public double L1 { get; }

    /// <summary>The L2 factor.</summary>
    public double L2 { get; }

    /// <summary>The penalty of <paramref name="x"/>, a float32 scalar.</summary>
    public Tensor Penalty(Tensor x)
    {
        var total = zeros([], x.dtype, x.device);
        if (L1 != 0) total = total.Plus(x.abs().sum() * Of((float)L1));
        if (L2 != 0) total = total.Plus(x.Squared().sum() * Of((float)L2));
        return total;
    }

    /// <summary>
    /// Keras's activity regularization of one layer output: the penalty divided by the batch size
    /// (keras/src/layers/layer.py <c>__call__</c> normalizes it so its strength does not depend on the batch).
    /// </summary>
    public Tensor ActivityLoss(Tensor output)
    {
        if (output.dim() == 0) return Penalty(output);
        // The batch size changes per batch: a scalar held for this division, not a cached KeptScalars constant.
        using var batchSize = output.Sizes()[0].ToScalar();
        return Penalty(output) / batchSize;
    }
}

/// <summary>Reads regularizers from layer configs.</summary>
public static class Regularizers
{
    /// <summary>
    /// The regularizer a serialized Keras regularizer describes (<c>"l2"</c>, <c>{"class_name": "L2", "config": {"l2": 0.01}}</c>,
    /// Keras 2's <c>L1L2</c>), or null for none. <paramref name="owner"/> names the layer for errors.
    /// </summary>
    /// <exception cref="UnsupportedLayerException">A regularizer KerasPort cannot compute (OrthogonalRegularizer, custom ones).</exception>
    public static Regularizer? FromConfig(JsonNode? node, string owner, string className)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonValue value when value.TryGetValue<string>(out var name):
                return name.ToLowerInvariant() switch
                {
                    "l1" => new Regularizer(0.01, 0),
                    "l2" => new Regularizer(0, 0.01),
                    "l1_l2" or "l1l2" => new Regularizer(0.01, 0.01),
                    _ => throw new UnsupportedLayerException(className, owner, $"regularizer '{name}' is not supported for training"),
                };
            case JsonObject serialized:
                var config = serialized["config"] as JsonObject ?? [];
                double Factor(string key, double fallback) => ConfigValues.Number(config[key]) ?? fallback;
                return KerasConfigReader.Text(serialized["class_name"]) switch
                {
                    "L1" => new Regularizer(Factor("l1", 0.01), 0),
                    "L2" => new Regularizer(0, Factor("l2", 0.01)),
                    "L1L2" => new Regularizer(Factor("l1", 0), Factor("l2", 0)),
                    var other => throw new UnsupportedLayerException(className, owner, $"regularizer '{other}' is not supported for training"),
                };
            default:
                throw new UnsupportedLayerException(className, owner, $"unreadable regularizer {node.ToJsonString()}");
        }
    }

    /// <summary>
    /// The activity regularizer of a layer: its config's <c>activity_regularizer</c>, or the <c>l1</c>/<c>l2</c> of an
    /// <c>ActivityRegularization</c> layer (which Keras builds as an <c>L1L2</c> activity regularizer); null for none.
    /// </summary>
    public static Regularizer? Activity(LayerDescription layer)
    {
        // Its factors mean the same in every Keras generation, so the generation read with is immaterial.
        if (ActivityRegularizationSpec.ClassNames.Contains(layer.ClassName) && ActivityRegularizationSpec.Read(LayerReader.Of(layer, 3)) is var spec)
            return new Regularizer(spec.L1, spec.L2);
        return FromConfig(layer.Config["activity_regularizer"], layer.Name, layer.ClassName);
    }

    /// <summary>
    /// The config key Keras keeps a weight's regularizer under, for the role the layer built it as: <c>kernel</c> →
    /// <c>kernel_regularizer</c>, <c>recurrent_kernel</c> → <c>recurrent_regularizer</c>, <c>depthwise_kernel</c> →
    /// <c>depthwise_regularizer</c>, ...; constraints follow the same pattern with <paramref name="suffix"/>.
    /// </summary>
    public static string ConfigKey(string role, string suffix) => role switch
    {
        "recurrent_kernel" => "recurrent_" + suffix,
        "depthwise_kernel" => "depthwise_" + suffix,
        "pointwise_kernel" => "pointwise_" + suffix,
        _ => $"{role}_{suffix}",
    };
}
