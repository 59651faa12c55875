using System.Text.RegularExpressions;

namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>
/// Keras 1 recurrent layers with <c>consume_less='cpu'</c> or <c>'mem'</c> (the default) store one W, U and b
/// per gate, named <c>&lt;layer&gt;_W_&lt;gate&gt;</c>: LSTM in the order i, c, f, o and GRU in z, r, h
/// (keras 1.2 layers/recurrent.py <c>build</c>). Joins them into Keras 2/3's fused kernel, recurrent kernel and
/// bias, whose gates follow <c>kerasOrder</c>.
/// </summary>
internal static partial class SplitGateWeights
{
    /// <summary>Three arrays (W, U, b) per gate.</summary>
    public static int Count(string gates) => 3 * gates.Length;

    /// <summary>
    /// Reads the per-gate arrays (matched by name when every one is named, else by position in
    /// <paramref name="fileOrder"/>) and concatenates them along the last axis in <paramref name="kerasOrder"/>.
    /// </summary>
    public static (Tensor Kernel, Tensor Recurrent, Tensor Bias) Read(LayerContext context, long units, string fileOrder, string kerasOrder)
    {
        var named = new Dictionary<string, int>();
        for (int i = 0; i < context.Weights.Count; i++)
            if (GateName().Match(context.Weights[i].Name) is { Success: true } m)
                named.TryAdd(m.Groups[1].Value + m.Groups[2].Value, i);
        bool byName = named.Count == Count(fileOrder) && kerasOrder.All(g => "WUb".All(k => named.ContainsKey($"{k}{g}")));
        int Index(char kind, char gate) => byName ? named[$"{kind}{gate}"] : fileOrder.IndexOf(gate) * 3 + "WUb".IndexOf(kind);
        Tensor Join(char kind, params long[] shape) =>
            cat(kerasOrder.Select(g => context.Weight(Index(kind, g), $"{kind}_{g}", shape)).ToArray(), -1);
        return (Join('W', -1, units), Join('U', units, units), Join('b', units));
    }

    [GeneratedRegex(@"_([WUb])_([a-z])(?::\d+)?$")]
    private static partial Regex GateName();
}
