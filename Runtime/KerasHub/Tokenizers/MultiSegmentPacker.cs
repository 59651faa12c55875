namespace KerasPort.KerasHub;

/// <summary>How <see cref="MultiSegmentPacker"/> shortens segments that do not fit.</summary>
public enum SegmentTruncation
{
    /// <summary>Take tokens from each segment in turn (tensorflow-text's RoundRobinTrimmer).</summary>
    RoundRobin,
    /// <summary>Fill from the first segment on; later segments get what is left (WaterfallTrimmer).</summary>
    Waterfall,
}

/// <summary>
/// keras_hub/src/layers/preprocessing/multi_segment_packer.py: packs several segments per example (BERT's sentence
/// pairs) as <c>start, segment 0, sep, segment 1, sep, ..., end</c>, truncated to the sequence length and padded,
/// with segment ids (the start value belongs to segment 0, each separator and the end value to the segment before it).
/// </summary>
/// <param name="SequenceLength">The packed length.</param>
/// <param name="StartValue">The ids that open each example.</param>
/// <param name="EndValue">The ids that close each example.</param>
/// <param name="SepValue">The ids between segments (keras-hub: the end value when None).</param>
/// <param name="PadValue">The padding id (0 when None).</param>
/// <param name="Truncate">The trimming rule.</param>
/// <param name="Padding">Which side is padded.</param>
public sealed record MultiSegmentPacker(
    int SequenceLength, IReadOnlyList<int> StartValue, IReadOnlyList<int> EndValue, IReadOnlyList<int>? SepValue = null,
    int PadValue = 0, SegmentTruncation Truncate = SegmentTruncation.RoundRobin, PaddingSide Padding = PaddingSide.Right)
{
    /// <summary>
    /// Packs example <c>b</c> from <c>segments[s][b]</c> for every segment <c>s</c>; <paramref name="sequenceLength"/>
    /// overrides <see cref="SequenceLength"/> for this call.
    /// </summary>
    /// <exception cref="ArgumentException">No segment, segments with different numbers of examples, or a length that cannot hold the special values.</exception>
    public (int[][] TokenIds, int[][] SegmentIds) Pack(IReadOnlyList<IReadOnlyList<IReadOnlyList<int>>> segments, int? sequenceLength = null, bool addStartValue = true, bool addEndValue = true)
    {
        ArgumentNullException.ThrowIfNull(segments);
        if (segments.Count == 0) throw new ArgumentException("at least one segment is required for packing", nameof(segments));
        int batch = segments[0].Count;
        if (segments.Any(s => s.Count != batch)) throw new ArgumentException("every segment must hold the same number of examples", nameof(segments));
        int length = sequenceLength ?? SequenceLength;
        var sep = SepValue ?? EndValue;
        int budget = length - (addStartValue ? StartValue.Count : 0) - (segments.Count - 1) * sep.Count - (addEndValue ? EndValue.Count : 0);
        if (budget < 0) throw new ArgumentException($"sequence length {length} cannot hold the start, separator and end values", nameof(sequenceLength));
        var ids = new int[batch][];
        var segmentIds = new int[batch][];
        for (int b = 0; b < batch; b++)
        {
            var kept = Trim(segments.Select(s => s[b]).ToList(), budget);
            var tokens = new List<int>();
            var owners = new List<int>();
            void Add(IEnumerable<int> values, int segment)
            {
                foreach (var value in values) { tokens.Add(value); owners.Add(segment); }
            }
            if (addStartValue) Add(StartValue, 0);
            for (int s = 0; s < kept.Count; s++)
            {
                Add(kept[s], s);
                if (s < kept.Count - 1) Add(sep, s);
                else if (addEndValue) Add(EndValue, s);
            }
            ids[b] = PadTo(tokens, length, PadValue);
            segmentIds[b] = PadTo(owners, length, 0);
        }
        return (ids, segmentIds);
    }

    /// <summary>The segments of one example cut to <paramref name="budget"/> tokens in all.</summary>
    List<IReadOnlyList<int>> Trim(List<IReadOnlyList<int>> segments, int budget)
    {
        var take = new int[segments.Count];
        if (Truncate == SegmentTruncation.Waterfall)
            for (int s = 0, left = budget; s < segments.Count; left -= take[s], s++)
                take[s] = Math.Min(segments[s].Count, left);
        else
            // Token j of segment s goes before token j of segment s + 1 and after token j - 1 of every segment: the
            // order keras-hub's binary search over "priorities" j * segments + s keeps.
            for (int j = 0, left = budget; left > 0 && segments.Any(seg => seg.Count > j); j++)
                for (int s = 0; s < segments.Count && left > 0; s++)
                    if (segments[s].Count > j) { take[s]++; left--; }
        return segments.Select((segment, s) => (IReadOnlyList<int>)segment.Take(take[s]).ToList()).ToList();
    }

    int[] PadTo(List<int> values, int length, int pad)
    {
        var padding = Enumerable.Repeat(pad, length - values.Count);
        return [.. Padding == PaddingSide.Left ? padding.Concat(values) : values.Concat(padding)];
    }
}
