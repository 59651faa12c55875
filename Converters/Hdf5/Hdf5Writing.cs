using PureHDF;

namespace KerasPort.Converters.Hdf5;

/// <summary>What the HDF5 writers share: datasets from arrays (no per-element copies) and placing them at nested paths.</summary>
internal static class Hdf5Writing
{
    /// <summary>A dataset holding <paramref name="array"/> in its own element type (bool as uint8, as h5py stores numpy bools).</summary>
    public static H5Dataset Dataset(NdArray array)
    {
        var dims = array.Shape.Select(d => (ulong)d).ToArray();
        return array.Data switch
        {
            float[] f => new H5Dataset(f, fileDims: dims),
            double[] d => new H5Dataset(d, fileDims: dims),
            int[] i => new H5Dataset(i, fileDims: dims),
            long[] l => new H5Dataset(l, fileDims: dims),
            sbyte[] s => new H5Dataset(s, fileDims: dims),
            bool[] b => new H5Dataset(Array.ConvertAll(b, v => (byte)(v ? 1 : 0)), fileDims: dims),
            _ => throw new InvalidOperationException($"unsupported array type {array.DType}"),
        };
    }

    /// <summary>
    /// Puts <paramref name="dataset"/> at <paramref name="path"/> (segments separated by <c>/</c>) below
    /// <paramref name="root"/>, creating missing groups with <paramref name="newGroup"/> (given the segment's name).
    /// </summary>
    /// <exception cref="InvalidOperationException">Something already sits at the path or one of its groups.</exception>
    public static void Place(H5Group root, string path, H5Dataset dataset, Func<string, H5Group> newGroup)
    {
        var parts = path.Split('/');
        if (!GroupAt(root, parts[..^1], newGroup).TryAdd(parts[^1], dataset)) throw new InvalidOperationException($"'{path}' is written twice");
    }

    /// <summary>
    /// The group at <paramref name="parts"/> below <paramref name="root"/>, creating missing groups with
    /// <paramref name="newGroup"/> (given the segment's name).
    /// </summary>
    /// <exception cref="InvalidOperationException">A dataset sits where a group of the path should be.</exception>
    public static H5Group GroupAt(H5Group root, IReadOnlyList<string> parts, Func<string, H5Group> newGroup)
    {
        var target = root;
        foreach (var part in parts)
        {
            if (!target.TryGetValue(part, out var child)) target[part] = child = newGroup(part);
            target = child as H5Group ?? throw new InvalidOperationException($"'{string.Join('/', parts)}': '{part}' is a dataset, not a group");
        }
        return target;
    }
}
