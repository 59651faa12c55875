using System.Runtime.CompilerServices;
using PureHDF;

namespace KerasPort.Converters.Hdf5;

/// <summary>Reads the few kinds of HDF5 values Keras writes: string attributes (fixed or variable length, scalar or array) and numeric datasets.</summary>
internal static class Hdf5Values
{
    /// <summary>HDF5 files may start at 0, 512, 1024, ... (user block); the signature marks the superblock.</summary>
    static readonly byte[] Signature = [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0d, 0x0a, 0x1a, 0x0a];

    /// <summary>True if <paramref name="path"/> carries the HDF5 signature at a permitted offset.</summary>
    public static bool IsHdf5(string path)
    {
        using var stream = File.OpenRead(path);
        var buffer = new byte[8];
        for (long offset = 0; offset + 8 <= stream.Length && offset <= 1 << 20; offset = offset == 0 ? 512 : offset * 2)
        {
            stream.Position = offset;
            if (stream.Read(buffer, 0, 8) == 8 && buffer.AsSpan().SequenceEqual(Signature)) return true;
        }
        return false;
    }

    /// <summary>Opens an HDF5 file and checks it with <see cref="Hdf5Safety"/>, turning library failures into <see cref="ModelFileException"/>.</summary>
    public static NativeFileHandle Open(string path)
    {
        if (!File.Exists(path)) throw new ModelFileNotFoundException(path);
        if (!IsHdf5(path)) throw new ModelFileException(path, null, "not an HDF5 file (no HDF5 signature)");
        // Open the stream here so that it is closed when PureHDF rejects the file: H5File.OpenRead(path) leaks its
        // handle then (found by fuzzing: the next write of the same path failed with a sharing violation).
        return Open(File.OpenRead(path), path);
    }

    /// <summary>
    /// The one way KerasPort opens HDF5: opens <paramref name="stream"/> (named <paramref name="source"/> in errors; it
    /// is disposed with the handle, or at once on failure) and refuses, before any reader lists a group or reads a
    /// dataset, a file that reaches outside itself, loops, or needs an unknown filter (<see cref="Hdf5Safety"/>).
    /// </summary>
    public static NativeFileHandle Open(Stream stream, string source)
    {
        NativeFileHandle? handle = null;
        try
        {
            try { handle = new NativeFileHandle(H5File.Open(new Hdf5InputStream(stream), leaveOpen: false), stream.Length); }
            catch (Exception e) when (e is not KerasPortException)
            {
                throw Unreadable(source, null, "cannot open HDF5 file", e);
            }
            Guard(source, () => Hdf5Safety.Check(handle.File, source));
            return handle;
        }
        catch
        {
            if (handle is null) stream.Dispose();
            else handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/>, turning any failure of the HDF5 library (a truncated or corrupt file can
    /// fail deep inside it, with plain exceptions) into a <see cref="ModelFileException"/> that names the file.
    /// </summary>
    public static void Guard(string path, Action read) => Guard(path, () => { read(); return 0; });

    /// <inheritdoc cref="Guard(string, Action)"/>
    public static T Guard<T>(string path, Func<T> read) => Guard(path, null, read);

    /// <summary>
    /// <see cref="Guard(string, Action)"/> for a read of the object at <paramref name="part"/> (its HDF5 path; null
    /// for the file as a whole), which the error then names.
    /// </summary>
    public static T Guard<T>(string path, string? part, Func<T> read)
    {
        try { return read(); }
        // OutOfMemoryException included: a corrupt size field can make the library ask for an impossible array.
        catch (Exception e) when (e is not KerasPortException)
        {
            throw Unreadable(path, part, part is null ? "corrupt or unreadable HDF5 file" : "corrupt HDF5 object", e);
        }
    }

    /// <summary>The error for a failure <paramref name="e"/> of the HDF5 library on <paramref name="part"/> (or all) of <paramref name="path"/>.</summary>
    static ModelFileException Unreadable(string path, string? part, string what, Exception e) => e is InsufficientExecutionStackException
        // Raised by Hdf5InputStream when PureHDF recurses without end.
        ? new ModelFileException(path, part, $"{what}: a structure in it refers back to itself (an object header continued in itself, a B-tree node that is its own child), so reading it would never end", e)
        : new ModelFileException(path, part, $"{what}: {e.Message}", e);

    /// <summary>Largest string attribute accepted: far above HDF5's 64 KiB object-header limit that Keras writes within.</summary>
    const long MaxAttributeBytes = 16L << 20;

    /// <summary>A string attribute, or null if absent. Arrays are joined by nothing and returned only when scalar.</summary>
    public static string? StringAttribute(IH5Object owner, string name) =>
        StringsAttribute(owner, name) is [var single] ? single : null;

    /// <summary>A string-array attribute (e.g. <c>layer_names</c>), or null if absent. An empty float array (h5py's empty list) reads as empty.</summary>
    public static string[]? StringsAttribute(IH5Object owner, string name)
    {
        // h5py caps attributes at 64 KiB, so Keras splits long lists into name0, name1, ... (legacy_h5_format.py save_attributes_to_hdf5_group).
        if (!owner.AttributeExists(name))
            return owner.AttributeExists(name + "0")
                ? Enumerable.Range(0, int.MaxValue).TakeWhile(i => owner.AttributeExists($"{name}{i}")).SelectMany(i => StringsAttribute(owner, $"{name}{i}") ?? []).ToArray()
                : null;
        var attribute = owner.Attribute(name);
        var count = attribute.Space.Dimensions.Aggregate(1m, (a, b) => Math.Min(a * b, decimal.MaxValue / 2));
        if (attribute.Type.Class is not (H5DataTypeClass.String or H5DataTypeClass.VariableLength))
            return count == 0 ? [] : null;
        // HDF5 keeps an attribute in its object header (64 KiB at most; Keras splits longer lists into name0, name1, ...).
        // A corrupt dataspace claiming more would make the library build that many strings: refuse it up front.
        if (count * Math.Max(attribute.Type.Size, 1) > MaxAttributeBytes)
            throw new InvalidDataException($"attribute '{name}' claims {count:N0} strings of {attribute.Type.Size} bytes, more than an HDF5 attribute holds");
        return attribute.Space.Rank == 0 ? [attribute.Read<string>()] : attribute.Read<string[]>();
    }

    /// <summary>Deflate, the only compression Keras files use, expands at most about 1032 to 1.</summary>
    const long MaxChunkedExpansion = 1100;

    /// <summary>
    /// Reads a numeric dataset into an <see cref="NdArray"/>; float16 is widened to float32. <paramref name="fileBytes"/>,
    /// the size of the whole HDF5 file, bounds the data before anything is allocated: contiguous or compact data must
    /// fit in the file, chunked (possibly deflated) data within deflate's maximum ratio.
    /// </summary>
    public static NdArray ReadArray(IH5Dataset dataset, string file, string part, long fileBytes)
    {
        long[] shape;
        H5DataTypeClass typeClass;
        int typeSize;
        H5DataLayoutClass layout;
        try
        {
            shape = dataset.Space.Type == H5DataspaceType.Scalar ? [] : dataset.Space.Dimensions.Select(d => d > long.MaxValue ? -1 : (long)d).ToArray();
            (typeClass, typeSize, layout) = (dataset.Type.Class, dataset.Type.Size, dataset.Layout.Class);
        }
        catch (Exception e) when (e is not KerasPortException)
        {
            throw new ModelFileException(file, part, $"cannot read dataset header: {e.Message}", e);
        }
        var bytes = shape.Aggregate((decimal)Math.Max(typeSize, 1), (a, d) => d < 0 ? decimal.MaxValue / 2 : Math.Min(a * d, decimal.MaxValue / 2));
        var limit = layout == H5DataLayoutClass.Chunked ? (decimal)fileBytes * MaxChunkedExpansion : fileBytes;
        if (bytes > limit || bytes / Math.Max(typeSize, 1) > Array.MaxLength)
            throw new ModelFileException(file, part, $"dataset of shape ({string.Join(", ", shape.Select(d => d < 0 ? "2^64" : d.ToString()))}) claims {bytes:N0} bytes, more than a {fileBytes:N0}-byte file can hold");
        try
        {
            return (typeClass, typeSize) switch
            {
                (H5DataTypeClass.FloatingPoint, 4) => new NdArray(DType.Float32, shape, dataset.Read<float[]>()),
                (H5DataTypeClass.FloatingPoint, 8) => new NdArray(DType.Float64, shape, dataset.Read<double[]>()),
                (H5DataTypeClass.FloatingPoint, 2) => new NdArray(DType.Float32, shape, Array.ConvertAll(dataset.Read<Half[]>(), h => (float)h)),
                (H5DataTypeClass.FixedPoint, 4) => new NdArray(DType.Int32, shape, dataset.Read<int[]>()),
                (H5DataTypeClass.FixedPoint, 8) => new NdArray(DType.Int64, shape, dataset.Read<long[]>()),
                // Signed bytes are Keras 3's int8 (and packed int4) quantized kernels, kept as int8 so that a writer
                // gives them back as Keras wrote them; h5py writes bools as a one-byte enum.
                (H5DataTypeClass.FixedPoint, 1) when dataset.Type.FixedPoint.IsSigned => new NdArray(DType.Int8, shape, dataset.Read<sbyte[]>()),
                (H5DataTypeClass.FixedPoint, 1) => new NdArray(DType.Int32, shape, Array.ConvertAll(dataset.Read<byte[]>(), b => (int)b)),
                (H5DataTypeClass.Enumerated, 1) => new NdArray(DType.Bool, shape, Array.ConvertAll(dataset.Read<byte[]>(), b => b != 0)),
                _ => throw new ModelFileException(file, part, $"unsupported HDF5 element type {typeClass} of {typeSize} bytes"),
            };
        }
        catch (Exception e) when (e is not KerasPortException)
        {
            throw new ModelFileException(file, part, $"cannot read dataset: {e.Message}", e);
        }
    }
}

/// <summary>Owns an open PureHDF file of <paramref name="length"/> bytes.</summary>
internal sealed class NativeFileHandle(PureHDF.VOL.Native.NativeFile file, long length) : IDisposable
{
    /// <summary>The root group.</summary>
    public PureHDF.VOL.Native.NativeFile File { get; } = file;

    /// <summary>The file's size in bytes: no dataset in it can hold more (uncompressed).</summary>
    public long Length { get; } = length;

    /// <inheritdoc />
    public void Dispose() => File.Dispose();
}

/// <summary>
/// What PureHDF reads <paramref name="inner"/> through, with two guards it lacks. It is no <see cref="FileStream"/>,
/// so PureHDF uses its stream driver, which fails on a read past the end of the file; its file-handle driver returns
/// stale bytes there, and a header claiming more bytes than the file holds was decoded without end (found by
/// fuzzing). And each read first checks that the stack has room: PureHDF follows object-header continuations and
/// B-tree children by recursion, so a structure that refers back to itself would overflow the stack and end the
/// process; <see cref="RuntimeHelpers.EnsureSufficientExecutionStack"/> turns that into an exception first (every
/// level of such a recursion reads). A loop that reads without recursing ends at a budget of reads: a load of the
/// golden cases and the corpus read at most 14 times a file's bytes, in at most 0.4 reads per byte. Disposes
/// <paramref name="inner"/>.
/// </summary>
internal sealed class Hdf5InputStream(Stream inner) : Stream
{
    /// <summary>How many times its size a file may be read, plus <see cref="SpareBytes"/>, before the reader is taken to loop.</summary>
    const long ReadsOfTheFile = 64;
    const long SpareBytes = 64L << 20;
    /// <summary>How many reads per byte of the file, plus <see cref="SpareCalls"/>, before the reader is taken to loop.</summary>
    const long CallsPerByte = 4;
    const long SpareCalls = 4L << 20;

    readonly long byteBudget = ReadsOfTheFile * inner.Length + SpareBytes;
    readonly long callBudget = CallsPerByte * inner.Length + SpareCalls;
    long bytesRead, calls;

    /// <inheritdoc />
    public override bool CanRead => true;
    /// <inheritdoc />
    public override bool CanSeek => true;
    /// <inheritdoc />
    public override bool CanWrite => false;
    /// <inheritdoc />
    public override long Length => inner.Length;
    /// <inheritdoc />
    public override long Position { get => inner.Position; set => inner.Position = value; }
    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        bytesRead += buffer.Length;
        if (++calls > callBudget || bytesRead > byteBudget)
            throw new InvalidDataException($"reading it took more than {calls:N0} reads and {bytesRead:N0} bytes from a file of {inner.Length:N0} bytes: a structure in it loops");
        return inner.Read(buffer);
    }
    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
    /// <inheritdoc />
    public override void Flush() { }
    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
