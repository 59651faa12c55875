using KerasPort.Runtime.Layers.Core;

namespace KerasPort.Runtime;

/// <summary>
/// One row of <see cref="ModelSummary"/>: a layer, its output shapes (null = unknown size), parameters, inbound tensors
/// and how its kernel is stored: the quantized dtype policy (<c>int8_from_float32</c>, <c>int4/128_from_float32</c>) or
/// LoRA (<c>lora rank 2, alpha 4</c>); null for a float layer.
/// </summary>
public sealed record SummaryRow(string Name, string ClassName, IReadOnlyList<int?[]> OutputShapes, long Params, IReadOnlyList<string> ConnectedTo, string? Quantization = null);

/// <summary>
/// What Keras's <c>model.summary()</c> shows. Output shapes are measured by two small forward passes whose
/// unknown dimensions (batch, free sequence lengths) differ, so a dimension that changes is reported as None.
/// </summary>
public sealed record ModelSummary(string Name, string ClassName, IReadOnlyList<SummaryRow> Rows, ParamCounts Params)
{
    /// <summary>Builds the summary of <paramref name="model"/>.</summary>
    public static ModelSummary Build(KerasModel model)
    {
        // Free spatial/time sizes must be large enough for every kernel and pooling window of the model.
        var first = model.Trace(DummyInputs(model, batch: 2, free: 32));
        var second = model.Trace(DummyInputs(model, batch: 3, free: 40));
        var rows = new List<SummaryRow>();
        foreach (var layer in model.Description.Layers)
        {
            var shapes = new List<int?[]>();
            int nodes = Math.Max(1, layer.InboundNodes.Count);
            for (int node = 0; node < nodes; node++)
                if (first.Find(layer.Name, node) is { } a && second.Find(layer.Name, node) is { } b)
                    shapes.AddRange(a.Outputs.Zip(b.Outputs, (x, y) => x.Shape.Zip(y.Shape, (p, q) => p == q ? (int?)p : null).ToArray()));
            var connected = layer.InboundNodes.SelectMany(n => n.Tensors).Select(t => $"{t.Layer}[{t.NodeIndex}][{t.TensorIndex}]").ToList();
            var quantization = KerasQuantization.Of(layer.Config, layer.ClassName, layer.Name)?.PolicyName
                ?? (KerasQuantization.Lora(layer.Config) is var (rank, alpha) ? FormattableString.Invariant($"lora rank {rank}, alpha {alpha}") : null);
            rows.Add(new SummaryRow(layer.Name, layer.ClassName, shapes, model.Graph.Layers[layer.Name].ParamCount, connected, quantization));
        }
        return new ModelSummary(model.Description.Name, model.Description.ClassName, rows, ParamCounter.Count(model));
    }

    /// <summary>Zeros (valid token ids for integer inputs, empty strings for string inputs) with the batch set to <paramref name="batch"/> and other unknown dimensions to <paramref name="free"/>.</summary>
    internal static NdArray[] DummyInputs(KerasModel model, int batch, int free) =>
        model.Graph.InputLayers.Select(input => input.DummyInput(input.ConcreteShape(batch, free))).ToArray();
}
