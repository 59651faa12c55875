namespace KerasPort.Tests.Numpy;

/// <summary>String arrays in .npy files, against bytes NumPy 2 wrote (<c>np.save</c> in ../shared/keras3's Python).</summary>
public sealed class NpyStringTests
{
    /// <summary><c>np.save(f, np.array([["héllo", "a"], ["", "日本"]]))</c>: dtype &lt;U5.</summary>
    const string Unicode2x2 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPFU1JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIApoAAAA6QAAAGwAAABsAAAAbwAAAGEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAADlZQAALGcAAAAAAAAAAAAAAAAAAA==";

    /// <summary><c>np.save(f, np.array([b"ab", b"", b"xyz"]))</c>: dtype |S3.</summary>
    const string Bytes3 = "k05VTVBZAQB2AHsnZGVzY3InOiAnfFMzJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAphYgAAAAB4eXo=";

    /// <summary><c>np.save(f, np.array(["x", "yz"], dtype=">U2"))</c>: big-endian UTF-32.</summary>
    const string BigEndian2 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPlUyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAB4AAAAAAAAAHkAAAB6";

    static NdArray Read(string base64) => NpyFormat.Read(new MemoryStream(Convert.FromBase64String(base64)), "test.npy");

    [Fact]
    public void ReadsUnicodeArraysOfAnyRank()
    {
        var array = Read(Unicode2x2);
        Assert.Equal(DType.String, array.DType);
        Assert.Equal([2L, 2L], array.Shape);
        Assert.Equal(["héllo", "a", "", "日本"], (string[])array.Data);
    }

    [Fact]
    public void ReadsByteStringsAsUtf8()
    {
        var array = Read(Bytes3);
        Assert.Equal(["ab", "", "xyz"], (string[])array.Data);
    }

    [Fact]
    public void ReadsBigEndianUnicode() => Assert.Equal(["x", "yz"], (string[])Read(BigEndian2).Data);

    [Fact]
    public void WritesWhatNumPyWrites()
    {
        using var stream = new MemoryStream();
        NpyFormat.Write(stream, NdArray.Of(new[] { "héllo", "a", "", "日本" }, 2, 2));
        Assert.Equal(Convert.FromBase64String(Unicode2x2), stream.ToArray());
    }

    [Fact]
    public void StringArraysHaveNoNumbers() =>
        Assert.Throws<InvalidOperationException>(() => NdArray.Of(new[] { "a" }, 1).ToDoubles());
}
