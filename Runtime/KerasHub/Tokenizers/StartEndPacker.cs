namespace KerasPort.KerasHub;

/// <summary>Which end of a packed row the padding goes to.</summary>
public enum PaddingSide
{
    /// <summary>Pad after the tokens (keras-hub's default).</summary>
    Right,
    /// <summary>Pad before the tokens.</summary>
    Left,
}

/// <summary>
/// keras_hub/src/layers/preprocessing/start_end_packer.py: truncates each row to leave room for the start and end
/// values, adds them, and pads to the sequence length, with a padding mask that is true on every kept or added token.
/// </summary>
/// <param name="SequenceLength">The packed length.</param>
/// <param name="StartValue">The ids prepended (<c>start_value</c>), or null.</param>
/// <param name="EndValue">The ids appended (<c>end_value</c>), or null.</param>
/// <param name="PadValue">The padding id (<c>pad_value</c>; keras-hub pads ints with 0 when it is None).</param>
/// <param name="Padding">Which side is padded.</param>
public sealed record StartEndPacker(int SequenceLength, IReadOnlyList<int>? StartValue = null, IReadOnlyList<int>? EndValue = null, int PadValue = 0, PaddingSide Padding = PaddingSide.Right)
{
    /// <summary>Packs each row; <paramref name="sequenceLength"/> overrides <see cref="SequenceLength"/> for this call.</summary>
    /// <exception cref="ArgumentException">The length cannot hold the start and end values.</exception>
    public (int[][] TokenIds, bool[][] PaddingMask) Pack(IReadOnlyList<IReadOnlyList<int>> rows, int? sequenceLength = null, bool addStartValue = true, bool addEndValue = true)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int length = sequenceLength ?? SequenceLength;
        var start = addStartValue ? StartValue ?? [] : [];
        var end = addEndValue ? EndValue ?? [] : [];
        int room = length - start.Count - end.Count;
        if (room < 0)
            throw new ArgumentException($"sequence length {length} cannot hold {start.Count} start and {end.Count} end values", nameof(sequenceLength));
        var ids = new int[rows.Count][];
        var masks = new bool[rows.Count][];
        for (int r = 0; r < rows.Count; r++)
        {
            var packed = start.Concat(rows[r].Take(room)).Concat(end).ToArray();
            int pad = length - packed.Length;
            int offset = Padding == PaddingSide.Left ? pad : 0;
            ids[r] = Enumerable.Repeat(PadValue, length).ToArray();
            masks[r] = new bool[length];
            packed.CopyTo(ids[r], offset);
            masks[r].AsSpan(offset, packed.Length).Fill(true);
        }
        return (ids, masks);
    }
}
