using System.Text.RegularExpressions;

namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>The kinds of Keras recurrent cell the ONNX export handles.</summary>
internal enum CellKind
{
    /// <summary>SimpleRNN: one gate.</summary>
    Simple,
    /// <summary>LSTM: gates i, f, c, o.</summary>
    Lstm,
    /// <summary>GRU: gates z, r, h.</summary>
    Gru,
}

/// <summary>
/// One Keras recurrent cell read for export from its config and weights, in Keras's own layout: kernel
/// <c>(in, G·u)</c>, recurrent kernel <c>(u, G·u)</c>, input bias and recurrent bias <c>(G·u)</c> (gates in Keras
/// order), its activations and GRU's <c>reset_after</c>. Reads every generation's layouts as the runtime's cells do
/// (Runtime/Layers/Recurrent/LSTMCell.cs, GRUCell.cs, SimpleRNNCell.cs, SplitGateWeights.cs), from the cell's
/// <see cref="CellSpec"/>, which holds the config; this record is what the recurrent lowerings work on.
/// </summary>
internal sealed partial record RecurrentCellWeights(OnnxLayerCall Call, CellKind Kind, long Units, string Activation, string RecurrentActivation,
    bool ResetAfter, float[] Kernel, long InputSize, float[] Recurrent, float[]? InputBias, float[]? RecurrentBias)
{
    /// <summary>Gate count.</summary>
    public int Gates => Kind switch { CellKind.Lstm => 4, CellKind.Gru => 3, _ => 1 };

    /// <summary>State count (LSTM: h and c).</summary>
    public int StateCount => Kind == CellKind.Lstm ? 2 : 1;

    /// <summary>
    /// Reads the cell of <paramref name="call"/>'s layer (an LSTM/GRU/SimpleRNN layer, or an LSTMCell/GRUCell/SimpleRNNCell)
    /// for step inputs of <paramref name="inputSize"/> features.
    /// </summary>
    public static RecurrentCellWeights Read(OnnxLayerCall call, long inputSize)
    {
        var cell = CellSpec.Of(call)
            ?? throw new UnsupportedLayerException(call.ClassName, call.Name, $"cell class '{call.ClassName}' cannot be exported to ONNX");
        var kind = cell switch
        {
            LSTMCellSpec => CellKind.Lstm,
            GRUCellSpec => CellKind.Gru,
            _ => CellKind.Simple,
        };
        var (units, activation, recurrentActivation, cuDnn, gates) = (cell.Units, cell.Activation, cell.RecurrentActivation, cell.CuDnn, cell.Gates);
        bool resetAfter = cell is GRUCellSpec { ResetAfter: true };
        string fileOrder = kind == CellKind.Lstm ? "icfo" : "zrh";
        if (kind != CellKind.Simple && call.Weights.Count == 3 * fileOrder.Length)
        {
            var (w, r, b) = SplitGates(call, units, fileOrder, kind == CellKind.Lstm ? "ifco" : "zrh");
            return new(call, kind, units, activation, recurrentActivation, resetAfter, w, w.Length / (gates * units), r, b, null);
        }
        bool useBias = cell.UseBias;
        call.ExpectWeightCount(useBias ? 3 : 2);
        var kernel = call.WeightData(0, "kernel", inputSize, gates * units).Data;
        var recurrent = call.WeightData(1, "recurrent_kernel", units, gates * units).Data;
        float[]? inputBias = null, recurrentBias = null;
        if (useBias)
        {
            if (cuDnn)
            {
                // CuDNN layers store input then recurrent bias halves (keras 2 layers/cudnn_recurrent.py).
                var both = call.WeightData(2, "bias", 2 * gates * units).Data;
                inputBias = both[..(int)(gates * units)];
                recurrentBias = both[(int)(gates * units)..];
            }
            else if (resetAfter)
            {
                var rows = call.WeightData(2, "bias", 2, gates * units).Data;
                inputBias = rows[..(int)(gates * units)];
                recurrentBias = rows[(int)(gates * units)..];
            }
            else inputBias = call.WeightData(2, "bias", gates * units).Data;
        }
        return new(call, kind, units, activation, recurrentActivation, resetAfter, kernel, kernel.Length / (gates * units), recurrent, inputBias, recurrentBias);
    }

    /// <summary>
    /// Keras 1 (consume_less cpu/mem) per-gate W, U, b arrays named <c>&lt;layer&gt;_W_&lt;gate&gt;</c>, in
    /// <paramref name="fileOrder"/>, joined in <paramref name="kerasOrder"/> (matched by name when all are named).
    /// </summary>
    static (float[] Kernel, float[] Recurrent, float[] Bias) SplitGates(OnnxLayerCall call, long units, string fileOrder, string kerasOrder)
    {
        var named = new Dictionary<string, int>();
        for (int i = 0; i < call.Weights.Count; i++)
            if (GateName().Match(call.Weights[i].Name) is { Success: true } m) named.TryAdd(m.Groups[1].Value + m.Groups[2].Value, i);
        bool byName = kerasOrder.All(g => "WUb".All(k => named.ContainsKey($"{k}{g}")));
        int Index(char kind, char gate) => byName ? named[$"{kind}{gate}"] : fileOrder.IndexOf(gate) * 3 + "WUb".IndexOf(kind);
        float[] Join(char kind, long rows, long[] shape)
        {
            var parts = kerasOrder.Select(g => call.WeightData(Index(kind, g), $"{kind}_{g}", shape).Data).ToArray();
            var joined = new float[parts.Sum(p => p.Length)];
            for (long r = 0; r < rows; r++)
                for (int g = 0; g < parts.Length; g++)
                    Array.Copy(parts[g], r * units, joined, (r * parts.Length + g) * units, units);
            return joined;
        }
        var w0 = call.WeightData(Index('W', kerasOrder[0]), "W", -1, units).Shape[0];
        return (Join('W', w0, [w0, units]), Join('U', units, [units, units]), Join('b', 1, [units]));
    }

    [GeneratedRegex(@"_([WUb])_([a-z])(?::\d+)?$")]
    private static partial Regex GateName();
}
