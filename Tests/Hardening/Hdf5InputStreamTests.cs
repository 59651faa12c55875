using KerasPort.Converters.Hdf5;

namespace KerasPort.Tests.Hardening;

/// <summary>The guards that <see cref="Hdf5InputStream"/> adds to PureHDF's reads of an HDF5 file.</summary>
public sealed class Hdf5InputStreamTests
{
    [Fact]
    public void AReaderThatKeepsRereadingTheFileIsStopped()
    {
        // A reader caught in a loop over the same structure reads the same bytes again and again; the budget ends it.
        using var stream = new Hdf5InputStream(new MemoryStream(new byte[1024]));
        var error = Assert.Throws<InvalidDataException>(() => RereadForever(stream));
        Assert.Contains("a structure in it loops", error.Message);
    }

    static void RereadForever(Stream stream)
    {
        var buffer = new byte[16];
        while (true)
        {
            stream.Position = 0;
            stream.ReadExactly(buffer);
        }
    }

    [Fact]
    public void ReadingTheFileManyTimesOverIsAllowed()
    {
        // Loads of the golden cases read a file up to 14 times over: far inside the budget.
        using var stream = new Hdf5InputStream(new MemoryStream(new byte[1 << 20]));
        var buffer = new byte[4096];
        for (var pass = 0; pass < 20; pass++)
        {
            stream.Position = 0;
            while (stream.Read(buffer) > 0) { }
        }
    }

    [Fact]
    public void PureHdfReadsAFileStreamThroughTheGuard()
    {
        // PureHDF picks its driver by the stream's type: a FileStream would bypass the guard (and read past the end).
        var path = Path.Combine(TestPaths.RepoRoot, "tools", "fuzz", "findings", "model", "hdf5-header-read-past-end.bin");
        var error = Assert.Throws<ModelFileException>(() => KerasModelReader.Load(path));
        Assert.Contains("beyond the end", error.Message);
    }
}
