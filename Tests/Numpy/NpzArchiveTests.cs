using System.IO.Compression;

namespace KerasPort.Tests.Numpy;

public sealed class NpzArchiveTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("kerasport-npz-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static readonly KeyValuePair<string, NdArray>[] Sample =
    [
        new("out/dense/0", NdArray.Of(new[] { 1.5f, -2f, 3f, 4f, 5f, 6f }, 2, 3)),
        new("in/x", NdArray.Of(new[] { 0.25, 1e-300 }, 2)),
        new("ints", NdArray.Of(new[] { 1, -2, 3 }, 3, 1)),
        new("longs", NdArray.Of(new[] { long.MaxValue }, 1)),
        new("mask", NdArray.Of(new[] { true, false }, 1, 2)),
        new("scalar", NdArray.Of(new[] { 7.0 })),
        new("zeros", NdArray.Of(new float[4096], 64, 64)),
    ];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RoundTripsInOrder(bool compressed)
    {
        string path = Path.Combine(dir, "a.npz");
        NpzArchive.Write(path, Sample, compressed);

        var arrays = NpzArchive.Read(path);
        Assert.Equal(Sample.Select(p => p.Key), arrays.Keys);
        foreach (var (key, array) in Sample) NpyFormatTests.AssertSame(array, arrays[key]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void StoresOrDeflatesEntriesNamedLikeNumpy(bool compressed)
    {
        string path = Path.Combine(dir, "a.npz");
        NpzArchive.Write(path, Sample, compressed);

        using var zip = ZipFile.OpenRead(path);
        Assert.Equal(Sample.Select(p => p.Key + ".npy"), zip.Entries.Select(e => e.FullName));
        var zeros = zip.GetEntry("zeros.npy")!;
        if (compressed) Assert.True(zeros.CompressedLength < zeros.Length / 10);
        else Assert.Equal(zeros.Length, zeros.CompressedLength);
    }

    [Fact]
    public void ReadsANumpyMadeArchive()
    {
        var arrays = NpzArchive.Read(NpyFormatTests.GoldenNpz);

        using var zip = ZipFile.OpenRead(NpyFormatTests.GoldenNpz);
        Assert.Equal(zip.Entries.Select(e => e.FullName[..^".npy".Length]), arrays.Keys);
        Assert.Equal("in/x", arrays.Keys.First());
        Assert.Contains(arrays.Keys, k => k.StartsWith("out/", StringComparison.Ordinal));
        foreach (var array in arrays.Values)
        {
            Assert.Equal(DType.Float32, array.DType);
            Assert.Equal(new long[] { 2, 4, 4, 3 }, array.Shape);
            Assert.All((float[])array.Data, v => Assert.True(float.IsFinite(v)));
        }
    }

    [Fact]
    public void SkipsFolderEntries()
    {
        string path = Path.Combine(dir, "folders.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            zip.CreateEntry("out/");
            Add(zip, "out/a.npy", Npy(NdArray.Of(new[] { 1, 2 }, 2)));
        }
        Assert.Equal(["out/a"], NpzArchive.Read(path).Keys);
    }

    [Fact]
    public void NamesTheFileAndEntryOfACorruptArray()
    {
        string path = Path.Combine(dir, "corrupt.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            Add(zip, "good.npy", Npy(NdArray.Of(new[] { 1f }, 1)));
            Add(zip, "out/bad.npy", Npy(NdArray.Of(new[] { 1f, 2f, 3f }, 3))[..^3]);
        }

        var e = Assert.Throws<ModelFileException>(() => NpzArchive.Read(path));
        Assert.Equal(path, e.FilePath);
        Assert.Equal("out/bad.npy", e.Part);
        Assert.StartsWith($"{path} [out/bad.npy]: truncated", e.Message);
    }

    [Fact]
    public void NamesTheEntryOfAnUnsupportedDtype()
    {
        string path = Path.Combine(dir, "complex.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
            Add(zip, "values.npy", NpyFormatTests.Npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8]));

        var e = Assert.Throws<ModelFileException>(() => NpzArchive.Read(path));
        Assert.Equal("values.npy", e.Part);
        Assert.Contains("unsupported .npy dtype '<c8'", e.Message);
    }

    [Fact]
    public void RejectsEntriesThatAreNotArrays()
    {
        string path = Path.Combine(dir, "other.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
            Add(zip, "readme.txt", "hello"u8.ToArray());

        Assert.Equal("readme.txt", Assert.Throws<ModelFileException>(() => NpzArchive.Read(path)).Part);
    }

    [Fact]
    public void RejectsAFileThatIsNotAZip()
    {
        string path = Path.Combine(dir, "text.npz");
        File.WriteAllText(path, "not a zip archive at all");

        var e = Assert.Throws<ModelFileException>(() => NpzArchive.Read(path));
        Assert.Null(e.Part);
        Assert.Contains("not a valid .npz", e.Message);
    }

    [Fact]
    public void ReportsAMissingFile()
    {
        string path = Path.Combine(dir, "missing.npz");
        Assert.Equal(path, Assert.Throws<ModelFileNotFoundException>(() => NpzArchive.Read(path)).FilePath);
    }

    [Fact]
    public void RefusesDuplicateKeysBeforeCreatingTheFile()
    {
        string path = Path.Combine(dir, "dup.npz");
        var array = NdArray.Of(new[] { 1f }, 1);
        Assert.Throws<ArgumentException>(() => NpzArchive.Write(path, [new("a", array), new("a", array)]));
        Assert.False(File.Exists(path));
    }

    static byte[] Npy(NdArray array)
    {
        var stream = new MemoryStream();
        NpyFormat.Write(stream, array);
        return stream.ToArray();
    }

    static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(bytes);
    }
}
