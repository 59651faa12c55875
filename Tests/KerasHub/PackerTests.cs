using KerasPort.KerasHub;

namespace KerasPort.Tests.KerasHub;

/// <summary>
/// StartEndPacker and MultiSegmentPacker against keras-hub v0.31.1's own tests
/// (keras_hub/src/layers/preprocessing/start_end_packer_test.py, multi_segment_packer_test.py). Where those tests pack
/// strings, the tokens are written as ids here: [CLS] 101, [SEP] 102, [PAD] 0, a b c 1 2 3, x y z 11 12 13.
/// </summary>
public sealed class PackerTests
{
    // start_end_packer.py docstring (batched) and test_start_end_padding_value.
    [Fact]
    public void StartEndPackerPadsAndTruncates()
    {
        var (ids, _) = new StartEndPacker(6, [1], [2]).Pack([[5, 6, 7], [8, 9, 10, 11, 12, 13, 14]]);
        Assert.Equal([[1, 5, 6, 7, 2, 0], [1, 8, 9, 10, 11, 2]], ids);
        int[][] input = [[5, 6, 7], [8, 9, 10, 11]];
        Assert.Equal([[1, 5, 6, 7, 2, 3, 3], [1, 8, 9, 10, 11, 2, 3]], new StartEndPacker(7, [1], [2], 3).Pack(input).TokenIds);
        Assert.Equal([[3, 3, 1, 5, 6, 7, 2], [3, 1, 8, 9, 10, 11, 2]], new StartEndPacker(7, [1], [2], 3, PaddingSide.Left).Pack(input).TokenIds);
    }

    // test_truncation, test_truncation_wo_endvalue, test_end_token_value_during_truncation, test_call_overrides.
    [Fact]
    public void StartEndPackerTruncationAndOverrides()
    {
        int[][] tenIds = [Enumerable.Range(0, 10).ToArray()];
        Assert.Equal([98, 0, 1, 2, 3, 4, 99], new StartEndPacker(7, [98], [99]).Pack(tenIds).TokenIds[0]);
        Assert.Equal([98, 0, 1, 2, 3, 4, 5], new StartEndPacker(7, [98]).Pack(tenIds).TokenIds[0]);
        Assert.Equal([[0, 1, 5, 6, 2], [1, 8, 9, 10, 2]], new StartEndPacker(5, [1], [2], 0, PaddingSide.Left).Pack([[5, 6], [8, 9, 10, 11, 12, 13]]).TokenIds);
        var packer = new StartEndPacker(4, [1], [2]);
        int[][] x = [[5, 6, 7]];
        Assert.Equal([1, 5, 6, 2], packer.Pack(x).TokenIds[0]);
        Assert.Equal([5, 6, 7, 2], packer.Pack(x, addStartValue: false).TokenIds[0]);
        Assert.Equal([1, 5, 6, 7], packer.Pack(x, addEndValue: false).TokenIds[0]);
        Assert.Equal([1, 2], packer.Pack(x, sequenceLength: 2).TokenIds[0]);
        Assert.Throws<ArgumentException>(() => packer.Pack(x, sequenceLength: 1));
    }

    // test_return_padding_mask (right padding).
    [Fact]
    public void StartEndPackerPaddingMask()
    {
        var (ids, mask) = new StartEndPacker(6, [1], [2]).Pack([[5, 6, 7], [8, 9, 10, 11]]);
        Assert.Equal([[1, 5, 6, 7, 2, 0], [1, 8, 9, 10, 11, 2]], ids);
        Assert.Equal([[true, true, true, true, true, false], [true, true, true, true, true, true]], mask);
    }

    // multi_segment_packer.py docstring examples.
    [Fact]
    public void MultiSegmentPackerDocstringExamples()
    {
        var packer = new MultiSegmentPacker(8, [101], [102]);
        var (ids, segments) = packer.Pack([[[1, 2, 3, 4]]]);
        Assert.Equal([101, 1, 2, 3, 4, 102, 0, 0], ids[0]);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0], segments[0]);
        (ids, segments) = packer.Pack([[[1, 2, 3, 4]], [[11, 12, 13, 14]]]);
        Assert.Equal([101, 1, 2, 3, 102, 11, 12, 102], ids[0]);
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1], segments[0]);
        (ids, segments) = (packer with { SepValue = [102, 102] }).Pack([[[1, 2, 3, 4]], [[11, 12, 13, 14]]]);
        Assert.Equal([101, 1, 2, 102, 102, 11, 12, 102], ids[0]);
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1], segments[0]);
    }

    // multi_segment_packer_test.py: test_trim_single_input_ints, test_trim_multiple_inputs_round_robin,
    // test_trim_multiple_inputs_waterfall, test_trim_batched_inputs_waterfall, test_pad_inputs.
    [Fact]
    public void MultiSegmentPackerUnitTests()
    {
        Assert.Equal([1, 3, 4, 5, 6, 7, 8, 2], new MultiSegmentPacker(8, [1], [2]).Pack([[Enumerable.Range(3, 7).ToArray()]]).TokenIds[0]);
        IReadOnlyList<IReadOnlyList<int>>[] abcXyz = [[[1, 2, 3]], [[11, 12, 13]]];
        var (ids, segments) = new MultiSegmentPacker(7, [101], [102]).Pack(abcXyz);
        Assert.Equal([101, 1, 2, 102, 11, 12, 102], ids[0]);
        Assert.Equal([0, 0, 0, 0, 1, 1, 1], segments[0]);
        (ids, segments) = new MultiSegmentPacker(7, [101], [102], Truncate: SegmentTruncation.Waterfall).Pack(abcXyz);
        Assert.Equal([101, 1, 2, 3, 102, 11, 102], ids[0]);
        Assert.Equal([0, 0, 0, 0, 0, 1, 1], segments[0]);
        (ids, segments) = new MultiSegmentPacker(7, [101], [102], Truncate: SegmentTruncation.Waterfall).Pack([[[1, 2, 3], [1, 2]], [[11, 12, 13], [11, 12, 13]]]);
        Assert.Equal([[101, 1, 2, 3, 102, 11, 102], [101, 1, 2, 102, 11, 12, 102]], ids);
        Assert.Equal([[0, 0, 0, 0, 0, 1, 1], [0, 0, 0, 0, 1, 1, 1]], segments);
        (ids, segments) = new MultiSegmentPacker(6, [101], [102]).Pack([[[1]], [[11]]]);
        Assert.Equal([101, 1, 102, 11, 102, 0], ids[0]);
        Assert.Equal([0, 0, 0, 1, 1, 0], segments[0]);
        (ids, segments) = new MultiSegmentPacker(6, [101], [102], Padding: PaddingSide.Left).Pack([[[1]], [[11]]]);
        Assert.Equal([0, 101, 1, 102, 11, 102], ids[0]);
        Assert.Equal([0, 0, 0, 0, 1, 1], segments[0]);
    }
}
