using PureHDF;

namespace KerasPort.Converters.Hdf5;

/// <summary>Reads plain data out of an HDF5 file that is not a model: a group's numeric datasets and string attributes (e.g. reference outputs).</summary>
public static class Hdf5ArrayFile
{
    /// <summary>Every dataset directly under <paramref name="group"/>, by name; empty if the group does not exist.</summary>
    public static IReadOnlyDictionary<string, NdArray> ReadGroup(string path, string group)
    {
        using var handle = Hdf5Values.Open(path);
        return Hdf5Values.Guard(path, () =>
        {
            var root = handle.File;
            if (!root.LinkExists(group)) return new Dictionary<string, NdArray>();
            return root.Group(group).Children().OfType<IH5Dataset>()
                .ToDictionary(d => d.Name, d => Hdf5Values.ReadArray(d, path, $"{group}/{d.Name}", handle.Length));
        });
    }

    /// <summary>The root string attribute <paramref name="name"/>, or null.</summary>
    public static string? ReadRootAttribute(string path, string name)
    {
        using var handle = Hdf5Values.Open(path);
        return Hdf5Values.Guard(path, () => Hdf5Values.StringAttribute(handle.File, name));
    }
}
