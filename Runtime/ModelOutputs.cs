using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace KerasPort.Runtime;

/// <summary>
/// The outputs of one prediction, keyed by output name (<see cref="KerasModel.Outputs"/>) and also reachable by
/// position in <c>model.outputs</c> order. Each value is a plain <see cref="NdArray"/> copied once out of
/// TorchSharp; <see cref="NdArray.ToFloats"/> on a float32 output returns that array itself, without a second copy.
/// </summary>
public sealed class ModelOutputs : IReadOnlyDictionary<string, NdArray>
{
    readonly IReadOnlyList<string> names;
    readonly NdArray[] values;
    readonly Dictionary<string, NdArray> byName;

    /// <summary>Pairs <paramref name="names"/> with <paramref name="values"/> (same length, same order).</summary>
    public ModelOutputs(IReadOnlyList<string> names, NdArray[] values)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(values);
        if (names.Count != values.Length) throw new ArgumentException($"{names.Count} names for {values.Length} outputs");
        this.names = names;
        this.values = values;
        byName = new Dictionary<string, NdArray>(StringComparer.Ordinal);
        for (int i = 0; i < values.Length; i++) byName[names[i]] = values[i];
    }

    /// <summary>The output called <paramref name="name"/>.</summary>
    public NdArray this[string name] => byName.TryGetValue(name, out var value) ? value
        : throw new KeyNotFoundException($"no output '{name}'; outputs: {string.Join(", ", names)}");

    /// <summary>The output at <paramref name="index"/> in <c>model.outputs</c> order.</summary>
    public NdArray this[int index] => values[index];

    /// <summary>Number of outputs.</summary>
    public int Count => values.Length;

    /// <summary>Output names in order.</summary>
    public IEnumerable<string> Keys => names;

    /// <summary>Output values in order.</summary>
    public IEnumerable<NdArray> Values => values;

    /// <summary>The outputs in order, as an array (the same <see cref="NdArray"/> objects, not copies).</summary>
    public NdArray[] ToArray() => (NdArray[])values.Clone();

    /// <summary>Whether there is an output called <paramref name="key"/>.</summary>
    public bool ContainsKey(string key) => byName.ContainsKey(key);

    /// <summary>Looks up the output called <paramref name="key"/>.</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out NdArray value) => byName.TryGetValue(key, out value);

    /// <summary>Name/value pairs in order.</summary>
    public IEnumerator<KeyValuePair<string, NdArray>> GetEnumerator() =>
        names.Select((name, i) => KeyValuePair.Create(name, values[i])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
