using System.Buffers.Binary;
using System.Collections;
using System.IO.Compression;
using System.Text;

namespace KerasPort.Tests.Numpy;

public sealed class NpyFormatTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("kerasport-npy-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    public static TheoryData<NdArray> Arrays => new()
    {
        NdArray.Of(new[] { 1.5f, -2f, float.NaN, float.PositiveInfinity, 0f, 3.25f }, 2, 3),
        NdArray.Of(new[] { 1.5, -2e300, double.Epsilon, 4 }, 4),
        NdArray.Of(new[] { int.MinValue, 0, int.MaxValue, 7 }, 2, 1, 2),
        NdArray.Of(new[] { long.MinValue, long.MaxValue, 1L }, 3, 1),
        NdArray.Of(new[] { true, false, true }, 3),
        NdArray.Of(new sbyte[] { sbyte.MinValue, -1, 0, sbyte.MaxValue }, 2, 2),
        NdArray.Of(Array.Empty<float>(), 0, 5),
        NdArray.Of(new[] { 42.0 }),
    };

    [Theory]
    [MemberData(nameof(Arrays))]
    public void RoundTripsThroughAStream(NdArray array)
    {
        var stream = new MemoryStream();
        NpyFormat.Write(stream, array);
        long dataBytes = array.Length * (array.DType switch { DType.Float32 or DType.Int32 => 4, DType.Bool or DType.Int8 => 1, _ => 8 });
        Assert.Equal(0, (stream.Length - dataBytes) % 64);

        stream.Position = 0;
        AssertSame(array, NpyFormat.Read(stream, "mem.npy"));
    }

    [Fact]
    public void RoundTripsThroughAFile()
    {
        string path = Path.Combine(dir, "a.npy");
        var array = NdArray.Of(new[] { 1, 2, 3, 4, 5, 6 }, 3, 2);
        NpyFormat.Write(path, array);
        AssertSame(array, NpyFormat.Read(path));
    }

    [Fact]
    public void WritesTheHeaderNumpyWrites()
    {
        var stream = new MemoryStream();
        NpyFormat.Write(stream, NdArray.Of(new float[96], 2, 4, 4, 3));
        byte[] bytes = stream.ToArray();

        // numpy 2.x output for np.zeros((2, 4, 4, 3), np.float32): 0x76 header bytes, data at offset 128.
        string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4, 4, 3), }";
        string expected = "\u0093NUMPY\u0001\u0000\u0076\u0000" + dict.PadRight(127 - 10) + "\n";
        Assert.Equal(expected, Encoding.Latin1.GetString(bytes, 0, 128));
        Assert.Equal(128 + 96 * 4, bytes.Length);
    }

    [Theory]
    [InlineData(DType.Float64, "'<f8'", "(3,)")]
    [InlineData(DType.Int64, "'<i8'", "()")]
    [InlineData(DType.Bool, "'|b1'", "(1, 2, 1)")]
    [InlineData(DType.Int8, "'|i1'", "(2, 3)")]
    public void HeaderSpellsDtypeAndShapeLikePython(DType type, string descr, string shape)
    {
        long[] dims = shape == "()" ? [] : shape.Trim('(', ')', ',').Split(", ").Select(long.Parse).ToArray();
        int count = (int)dims.Aggregate(1L, (a, b) => a * b);
        var stream = new MemoryStream();
        NpyFormat.Write(stream, new NdArray(type, dims, Array.CreateInstance(NdArray.ElementTypeOf(type), count)));
        string header = Encoding.Latin1.GetString(stream.ToArray(), 10, BinaryPrimitives.ReadUInt16LittleEndian(stream.ToArray().AsSpan(8)));
        Assert.StartsWith($"{{'descr': {descr}, 'fortran_order': False, 'shape': {shape}, }}", header);
        Assert.EndsWith(" \n", header);
    }

    [Fact]
    public void RewritesANumpyFileByteForByte()
    {
        using var zip = ZipFile.OpenRead(GoldenNpz);
        var original = new MemoryStream();
        using (var entry = zip.GetEntry("in/x.npy")!.Open()) entry.CopyTo(original);
        original.Position = 0;

        var rewritten = new MemoryStream();
        NpyFormat.Write(rewritten, NpyFormat.Read(original, "in/x.npy"));
        Assert.Equal(original.ToArray(), rewritten.ToArray());
    }

    [Fact]
    public void ReadsFortranOrderAsRowMajor()
    {
        var bytes = Npy("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }", Ints(1, 4, 2, 5, 3, 6));
        var array = NpyFormat.Read(new MemoryStream(bytes), "f.npy");
        Assert.Equal(new long[] { 2, 3 }, array.Shape);
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6 }, array.Data);
    }

    [Fact]
    public void ReadsRank3FortranOrderAsRowMajor()
    {
        // Element (i, j, k) holds 100i + 10j + k; Fortran order lists it with i varying fastest.
        var fortran = new List<int>();
        for (int k = 0; k < 4; k++)
            for (int j = 0; j < 3; j++)
                for (int i = 0; i < 2; i++)
                    fortran.Add(100 * i + 10 * j + k);
        var bytes = Npy("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3, 4), }", Ints([.. fortran]));

        var array = NpyFormat.Read(new MemoryStream(bytes), "f.npy");
        var expected = from i in Enumerable.Range(0, 2) from j in Enumerable.Range(0, 3) from k in Enumerable.Range(0, 4) select 100 * i + 10 * j + k;
        Assert.Equal(expected.ToArray(), array.Data);
    }

    [Fact]
    public void ReadsFortranOrderVectorUnchanged()
    {
        var bytes = Npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2,), }", [.. BitConverter.GetBytes(1.0), .. BitConverter.GetBytes(2.0)]);
        Assert.Equal(new[] { 1.0, 2.0 }, NpyFormat.Read(new MemoryStream(bytes), "f.npy").Data);
    }

    [Fact]
    public void ReadsBigEndianData()
    {
        var f4 = new byte[8];
        BinaryPrimitives.WriteSingleBigEndian(f4, 1.5f);
        BinaryPrimitives.WriteSingleBigEndian(f4.AsSpan(4), -2f);
        var f8 = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(f8, Math.PI);
        var i4 = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(i4, 0x01020304);
        BinaryPrimitives.WriteInt32BigEndian(i4.AsSpan(4), -5);
        var i8 = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(i8, long.MinValue + 7);

        Assert.Equal(new[] { 1.5f, -2f }, ReadWith("'>f4'", "(2,)", f4).Data);
        Assert.Equal(new[] { Math.PI }, ReadWith("'>f8'", "(1,)", f8).Data);
        Assert.Equal(new[] { 0x01020304, -5 }, ReadWith("'>i4'", "(2,)", i4).Data);
        Assert.Equal(new[] { long.MinValue + 7 }, ReadWith("'>i8'", "(1,)", i8).Data);
    }

    [Fact]
    public void ReadsBigEndianFortranOrder()
    {
        var bytes = new byte[16];
        int[] fortran = [1, 3, 2, 4];
        for (int n = 0; n < 4; n++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 * n), fortran[n]);
        var array = NpyFormat.Read(new MemoryStream(Npy("{'descr': '>i4', 'fortran_order': True, 'shape': (2, 2), }", bytes)), "f.npy");
        Assert.Equal(new[] { 1, 2, 3, 4 }, array.Data);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ReadsEveryFormatVersion(int major)
    {
        var bytes = Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", [.. BitConverter.GetBytes(1f), .. BitConverter.GetBytes(2f)], major);
        Assert.Equal(new[] { 1f, 2f }, NpyFormat.Read(new MemoryStream(bytes), "v.npy").Data);
    }

    [Fact]
    public void ReadsAScalar()
    {
        var array = NpyFormat.Read(new MemoryStream(Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", BitConverter.GetBytes(2.5))), "s.npy");
        Assert.Empty(array.Shape);
        Assert.Equal(new[] { 2.5 }, array.Data);
    }

    [Fact]
    public void ReadsPython2LongIntegersInShape()
    {
        var array = ReadWith("'|b1'", "(1L, 2L)", [1, 0]);
        Assert.Equal(new long[] { 1, 2 }, array.Shape);
    }

    [Fact]
    public void ReadsAnyNonZeroByteAsTrue()
    {
        var array = ReadWith("'|b1'", "(3,)", [0, 2, 255]);
        // bool equality compares raw bytes, so this also checks that 2 and 255 became canonical trues.
        Assert.Equal(new[] { false, true, true }, (bool[])array.Data);
    }

    [Theory]
    [InlineData("|O")]
    [InlineData("<c8")]
    [InlineData("<f2")]
    [InlineData("|u1")]
    [InlineData("<i2")]
    [InlineData("<M8[ns]")]
    public void RejectsUnsupportedDtypes(string descr)
    {
        var e = Assert.Throws<ModelFileException>(() => ReadWith($"'{descr}'", "(2,)", new byte[64]));
        Assert.Equal("odd.npy", e.FilePath);
        Assert.Contains($"unsupported .npy dtype '{descr}' (supported: float32, float64, int32, int64, int8, bool, <U and |S strings)", e.Message);
        Assert.StartsWith("odd.npy", e.Message);
    }

    [Fact]
    public void RejectsStructuredDtypes()
    {
        var e = Assert.Throws<ModelFileException>(() => ReadWith("[('a', '<f4'), ('b', '<i4')]", "(2,)", new byte[16]));
        Assert.Contains("unsupported .npy dtype [('a', '<f4'), ('b', '<i4')]", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(40)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(130)]
    [InlineData(128 + 6 * 4 - 1)]
    public void RejectsTruncatedFiles(int keep)
    {
        var stream = new MemoryStream();
        NpyFormat.Write(stream, NdArray.Of(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, 2, 3));
        byte[] cut = stream.ToArray()[..keep];

        var e = Assert.Throws<ModelFileException>(() => NpyFormat.Read(new MemoryStream(cut), "cut.npy"));
        Assert.Contains("truncated", e.Message);
        e = Assert.Throws<ModelFileException>(() => NpyFormat.Read(ForwardOnly(cut), "cut.npy"));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void RejectsAHugeShapeWithoutAllocatingIt()
    {
        byte[] bytes = Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000,), }", new byte[16]);
        Assert.Contains("truncated", Assert.Throws<ModelFileException>(() => NpyFormat.Read(new MemoryStream(bytes), "big.npy")).Message);
        Assert.Contains("truncated", Assert.Throws<ModelFileException>(() => NpyFormat.Read(ForwardOnly(bytes), "big.npy")).Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[1, 2]")]
    [InlineData("{'descr': '<f4', 'fortran_order': False}")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1, }")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } junk")]
    [InlineData("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': [2], }")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': 2, }")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2.5,), }")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (None,), }")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': __import__('os'), }")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999,), }")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }")]
    [InlineData("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,), }")]
    [InlineData("{'descr: '<f4', 'fortran_order': False, 'shape': (2,), }")]
    [InlineData("{1: '<f4', 'fortran_order': False, 'shape': (2,), }")]
    public void RejectsMalformedHeaders(string header)
    {
        var e = Assert.Throws<ModelFileException>(() => NpyFormat.Read(new MemoryStream(Npy(header, new byte[8])), "bad.npy"));
        Assert.Equal("bad.npy", e.FilePath);
    }

    [Fact]
    public void RejectsDeepNestingWithoutOverflowingTheStack()
    {
        string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + new string('(', 100_000) + "}";
        Assert.Contains("nesting", Assert.Throws<ModelFileException>(() => NpyFormat.Read(new MemoryStream(Npy(header, [], 2)), "deep.npy")).Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'X', 1, 0, 0, 0 }, "bad magic")]
    [InlineData(new byte[] { (byte)'P', (byte)'K', 3, 4 }, "bad magic")]
    [InlineData(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 4, 0, 0, 0 }, "version 4.0")]
    [InlineData(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 1, 0, 0 }, "version 1.1")]
    [InlineData(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0, 0xff, 0xff, 0xff, 0x7f }, "header length")]
    public void RejectsWhatIsNotANpyFile(byte[] bytes, string problem)
    {
        Assert.Contains(problem, Assert.Throws<ModelFileException>(() => NpyFormat.Read(new MemoryStream(bytes), "x.npy")).Message);
    }

    [Fact]
    public void RejectsInvalidUtf8InAVersion3Header()
    {
        byte[] bytes = Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", new byte[4], 3);
        bytes[12] = 0xff;
        Assert.Contains("UTF-8", Assert.Throws<ModelFileException>(() => NpyFormat.Read(new MemoryStream(bytes), "u.npy")).Message);
    }

    [Fact]
    public void ReportsAMissingFile()
    {
        string path = Path.Combine(dir, "missing.npy");
        Assert.Equal(path, Assert.Throws<ModelFileNotFoundException>(() => NpyFormat.Read(path)).FilePath);
    }

    /// <summary>The io.npz of the bundled golden case <c>core/rescaling</c>, written by numpy.</summary>
    internal static string GoldenNpz => Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "core", "rescaling", "io.npz");

    /// <summary>A .npy file with <paramref name="header"/> verbatim (no padding) and <paramref name="data"/>.</summary>
    internal static byte[] Npy(string header, byte[] data, int major = 1)
    {
        byte[] text = major == 3 ? Encoding.UTF8.GetBytes(header) : Encoding.Latin1.GetBytes(header);
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0 };
        bytes.AddRange(major == 1 ? BitConverter.GetBytes((ushort)text.Length) : BitConverter.GetBytes((uint)text.Length));
        bytes.AddRange(text);
        bytes.AddRange(data);
        return [.. bytes];
    }

    static NdArray ReadWith(string descr, string shape, byte[] data) =>
        NpyFormat.Read(new MemoryStream(Npy($"{{'descr': {descr}, 'fortran_order': False, 'shape': {shape}, }}", data)), "odd.npy");

    static byte[] Ints(params int[] values) => [.. values.SelectMany(BitConverter.GetBytes)];

    /// <summary>A stream over <paramref name="bytes"/> that cannot seek, so its length is unknown to the reader.</summary>
    static Stream ForwardOnly(byte[] bytes)
    {
        var packed = new MemoryStream();
        using (var deflate = new DeflateStream(packed, CompressionLevel.Fastest, leaveOpen: true)) deflate.Write(bytes);
        packed.Position = 0;
        return new DeflateStream(packed, CompressionMode.Decompress);
    }

    internal static void AssertSame(NdArray expected, NdArray actual)
    {
        Assert.Equal(expected.DType, actual.DType);
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.Data.GetType(), actual.Data.GetType());
        Assert.True(StructuralComparisons.StructuralEqualityComparer.Equals(expected.Data, actual.Data), "data differs");
    }
}
