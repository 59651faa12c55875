using System.Globalization;

namespace KerasPort.Converters.Keras;

/// <summary>
/// How a Keras 3 layer quantized with <c>model.quantize(...)</c> stores its weights, read from its dtype policy
/// (<c>QuantizedDTypePolicy</c> mode <c>int8</c>, <c>Int4DTypePolicy</c> mode <c>int4/&lt;block_size&gt;</c>;
/// keras/src/dtype_policies/dtype_policy.py). Format-neutral: the runtime computes with it and the weight-name tables
/// order the variables by it.
/// </summary>
/// <param name="Mode"><c>int8</c> or <c>int4</c>.</param>
/// <param name="BlockSize">int4's group size in rows (columns for Embedding); -1 for per-channel (symmetric) int4 and for int8.</param>
/// <param name="PolicyName">Keras's policy name, <c>&lt;mode&gt;_from_&lt;source dtype&gt;</c> (what <c>summary</c> shows).</param>
public sealed record KerasQuantization(string Mode, int BlockSize, string PolicyName)
{
    /// <summary>True for int8 (per-channel weights, inputs quantized at call time).</summary>
    public bool IsInt8 => Mode == "int8";

    /// <summary>
    /// True for float8 (<c>QuantizedFloat8DTypePolicy</c>): a float32 kernel, and scalar scales with which input and
    /// kernel are quantized to float8_e4m3fn and back at call time.
    /// </summary>
    public bool IsFloat8 => Mode == "float8";

    /// <summary>
    /// True when Keras creates the kernel and scales with <c>trainable=False</c>: int8 and int4. float8 trains its
    /// kernel and keeps its scales and amax histories as trainable variables (dense.py <c>_float8_build</c>).
    /// </summary>
    public bool FreezesVariables => !IsFloat8;

    /// <summary>True for int4 with groups of <see cref="BlockSize"/> (asymmetric: scale, zero point and g_idx).</summary>
    public bool IsGroupedInt4 => Mode == "int4" && BlockSize > 0;

    /// <summary>
    /// The quantization <paramref name="config"/>'s dtype policy names, or null for a float policy. GPTQ and AWQ are
    /// refused: Keras 3.15.1 saves them without <c>kernel_zero</c> (dense.py <c>save_own_variables</c> takes it from
    /// <c>_get_kernel_with_merged_lora</c>, which gives None for them) and cannot reload its own files
    /// (../shared/golden/keras3/SKIPPED.md), so no file of theirs is known to hold what dequantization needs.
    /// </summary>
    /// <exception cref="UnsupportedLayerException">A quantization mode other than int8, int4 and float8.</exception>
    public static KerasQuantization? Of(JsonObject config, string className, string layerName)
    {
        if (config["dtype"] is not JsonObject policy) return null;
        // Keras 3.4+ writes mode and source_name; earlier versions only the name, "<mode>_from_<source>".
        var name = ((string?)policy["config"]?["name"])?.Split("_from_");
        if (((string?)policy["config"]?["mode"] ?? (name is [var named, _] ? named : null)) is not { } mode) return null;
        var source = (string?)policy["config"]?["source_name"] ?? (name is [_, var from] ? from : "float32");
        var parts = mode.Split('/');
        int blockSize = parts.Length == 2 && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var b) ? b : -1;
        return parts[0] switch
        {
            "int8" when parts.Length == 1 => new KerasQuantization("int8", -1, $"{mode}_from_{source}"),
            "int4" when parts.Length <= 2 => new KerasQuantization("int4", blockSize, $"{mode}_from_{source}"),
            "float8" when parts.Length == 1 && className != "Embedding" => new KerasQuantization("float8", -1, $"{mode}_from_{source}"),
            "gptq" or "awq" => throw new UnsupportedLayerException(className, layerName,
                $"quantization mode '{mode}' is not supported: Keras 3.15.1 writes {parts[0].ToUpperInvariant()} layers without kernel_zero and cannot reload them itself, so the saved layout is not certain"),
            _ => throw new UnsupportedLayerException(className, layerName,
                $"quantization mode '{mode}' is not supported on {className} (int8, int4 and, on Dense and EinsumDense, float8 are)"),
        };
    }

    /// <summary>
    /// The variables of a quantized Dense, EinsumDense or Embedding in the order Keras saves them
    /// (<c>variable_serialization_spec</c> in keras/src/layers/core/dense.py, einsum_dense.py, embedding.py), without
    /// those the layer lacks: the bias when it has none, the zero point and g_idx for per-channel int4.
    /// </summary>
    public IReadOnlyList<string> Variables(string className, bool hasBias)
    {
        if (className == "Embedding")
            return IsGroupedInt4 ? ["embeddings", "embeddings_scale", "embeddings_zero", "g_idx"] : ["embeddings", "embeddings_scale"];
        List<string> names = hasBias ? ["kernel", "bias"] : ["kernel"];
        if (IsFloat8)
            return [.. names, "inputs_scale", "inputs_amax_history", "kernel_scale", "kernel_amax_history", "outputs_grad_scale", "outputs_grad_amax_history"];
        names.Add("kernel_scale");
        if (IsGroupedInt4) names.AddRange(["kernel_zero", "g_idx"]);
        return names;
    }

    /// <summary>
    /// Keras's LoRA settings of a Dense or EinsumDense (<c>lora_rank</c>, <c>lora_alpha</c>, which defaults to the
    /// rank; keras/src/layers/core/dense.py <c>enable_lora</c>), or null without LoRA.
    /// </summary>
    public static (int Rank, double Alpha)? Lora(JsonObject config) =>
        config["lora_rank"] is JsonValue r && r.TryGetValue<int>(out var rank) && rank > 0
            ? (rank, config["lora_alpha"] is JsonValue a && a.TryGetValue<double>(out var alpha) ? alpha : rank)
            : null;

    /// <summary>
    /// The variables a legacy (.h5) file holds for a LoRA layer, in its order: trainable first (bias, the two LoRA
    /// matrices), then the frozen base kernel. Keras 3 files hold the merged kernel and the bias only.
    /// </summary>
    public static IReadOnlyList<string> LegacyLoraVariables(bool hasBias) =>
        hasBias ? ["bias", "lora_kernel_a", "lora_kernel_b", "kernel"] : ["lora_kernel_a", "lora_kernel_b", "kernel"];

    /// <summary>
    /// Refuses a quantized layer, or a LoRA layer whose file holds the unmerged LoRA matrices, for a writer that
    /// translates only float layers (<paramref name="writer"/>: "--emit-csharp"), with a typed error naming the layer
    /// and why. (ONNX export lowers them: Converters/Onnx/Lowerings/Quantization/QuantizedLowerings.cs.)
    /// </summary>
    /// <exception cref="UnsupportedLayerException">The layer is quantized or holds unmerged LoRA matrices.</exception>
    public static void RequireFloat(LayerDescription layer, string writer)
    {
        if (layer.ClassName is not ("Dense" or "EinsumDense" or "Embedding")) return;
        if (Of(layer.Config, layer.ClassName, layer.Name) is { } quantization)
            throw new UnsupportedLayerException(layer.ClassName, layer.Name, quantization.IsInt8
                ? $"{writer} of int8 layers is not supported: Keras re-quantizes the input at call time, which this writer does not reproduce"
                : $"{writer} of {quantization.Mode} layers is not supported yet (dtype policy {quantization.PolicyName})");
        if (Lora(layer.Config) is not null && layer.Weights.Any(w => w.Name.Contains("lora_kernel", StringComparison.Ordinal)))
            throw new UnsupportedLayerException(layer.ClassName, layer.Name, $"{writer} of a legacy file's unmerged LoRA weights is not supported: load the Keras 3 file (merged kernel)");
    }

    /// <summary>Whether a Dense (<c>use_bias</c>), EinsumDense (<c>bias_axes</c>) or Embedding (never) config has a bias.</summary>
    public static bool HasBias(string className, JsonObject config) => className switch
    {
        "Dense" => config["use_bias"] is not JsonValue v || !v.TryGetValue<bool>(out var useBias) || useBias,
        "EinsumDense" => config["bias_axes"] is JsonValue axes && axes.TryGetValue<string>(out var letters) && letters.Length > 0,
        _ => false,
    };

    /// <summary>True for an int8/int4 or LoRA Dense, EinsumDense or Embedding, whose kernel and scales Keras freezes.</summary>
    public static bool FreezesKernel(string className, JsonObject config, string layerName) =>
        className is "Dense" or "EinsumDense" or "Embedding" && (Of(config, className, layerName) is { FreezesVariables: true } || Lora(config) is not null);

    /// <summary>Variables Keras creates with <c>trainable=False</c> in quantized and LoRA layers.</summary>
    public static bool IsFrozen(string variable) =>
        variable is "kernel" or "embeddings" or "kernel_scale" or "kernel_zero" or "embeddings_scale" or "embeddings_zero" or "g_idx";
}
