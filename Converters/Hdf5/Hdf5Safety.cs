using PureHDF.VOL.Native;

namespace KerasPort.Converters.Hdf5;

/// <summary>
/// Walks a whole HDF5 file as stored, before any reader lists a group or reads a dataset, and refuses what would
/// make the reader leave the file, loop, or decode data it does not understand (CVE-2026-1669 is Keras reading local
/// files through external datasets). Every link is checked before PureHDF follows any: it follows soft and external
/// links while merely listing a group, so the checks cannot wait until a reader meets them.
/// </summary>
internal static class Hdf5Safety
{
    /// <summary>Deflate (1), shuffle (2) and Fletcher-32 (3): what h5py and Keras write, and what PureHDF decodes.</summary>
    static readonly Dictionary<ushort, string> KnownFilters = new() { [1] = "deflate", [2] = "shuffle", [3] = "fletcher32" };

    /// <summary>Soft links that point at soft links are followed this far; a longer chain is refused like a loop.</summary>
    const int MaxSoftLinkHops = 16;

    /// <summary>Refuses <paramref name="root"/> (the file <paramref name="file"/>) if any object in it reaches outside it, loops, or is filtered unknowingly.</summary>
    public static void Check(NativeFile root, string file)
    {
        var seenGroups = new HashSet<ulong> { PureHdfInternals.Address(root) };
        var pending = new Stack<(NativeGroup Group, string Path)>();
        pending.Push((root, ""));
        while (pending.TryPop(out var current))
        {
            foreach (var link in Links(current.Group, file, current.Path))
            {
                var path = $"{current.Path}/{link.Name}";
                switch (link.Kind)
                {
                    case Hdf5LinkKind.External:
                        throw new UnsafeModelFileException(file, path, "external link",
                            $"it points at '{link.ObjectPath}' in the file '{link.Target}'; KerasPort never opens a file that a model file names");
                    case Hdf5LinkKind.Soft:
                        CheckSoftLink(root, file, current.Path, path, link.Target!);
                        break;
                    case Hdf5LinkKind.Hard:
                        switch (Hdf5Values.Guard(file, path, () => current.Group.Get(link.Name)))
                        {
                            case NativeGroup group when !seenGroups.Add(PureHdfInternals.Address(group)):
                                throw new UnsafeModelFileException(file, path, "hard link to a group already linked",
                                    "a group that contains itself (or is listed twice) makes a reader walk it without end");
                            case NativeGroup group:
                                pending.Push((group, path));
                                break;
                            case NativeDataset dataset:
                                CheckDataset(dataset, file, path);
                                break;
                        }
                        break;
                    default:
                        throw new UnsafeModelFileException(file, path, "user-defined link", "KerasPort follows only hard links and soft links inside the file");
                }
            }
        }
    }

    /// <summary>
    /// The links of <paramref name="group"/>, refusing names that PureHDF's lookups would not find as listed: a
    /// repeated name (a lookup may find the other link) or one that is empty or holds '/' (a lookup splits it into a path).
    /// </summary>
    static List<Hdf5RawLink> Links(NativeGroup group, string file, string groupPath)
    {
        var links = Hdf5Values.Guard(file, groupPath.Length == 0 ? "/" : groupPath, () => PureHdfInternals.Links(group));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var link in links)
            if (link.Name.Length == 0 || link.Name.Contains('/') || !seen.Add(link.Name))
                throw new ModelFileException(file, $"{groupPath}/{link.Name}", "a link name that is empty, holds '/' or is repeated in its group: the file is corrupt");
        return links;
    }

    static void CheckDataset(NativeDataset dataset, string file, string path)
    {
        if (PureHdfInternals.IsVirtual(dataset))
            throw new UnsafeModelFileException(file, path, "virtual dataset", "its data would be read from other datasets, usually in other files; KerasPort reads weights stored in the model file only");
        if (PureHdfInternals.ExternalFiles(dataset) is { } files)
            throw new UnsafeModelFileException(file, path, "external raw storage",
                $"its data would be read from {string.Join(", ", files.Select(f => $"'{f}'"))}; KerasPort reads weights stored in the model file only");
        foreach (var (id, name) in PureHdfInternals.Filters(dataset))
            if (!KnownFilters.ContainsKey(id))
                throw new UnsafeModelFileException(file, path, $"filter {id}{(name.Length > 0 ? $" ('{name}')" : "")}",
                    $"KerasPort decodes only {string.Join(", ", KnownFilters.Select(f => $"{f.Value} ({f.Key})"))}, what Keras writes");
    }

    /// <summary>
    /// A soft link must stay in the top-level group that holds it (<c>/model_weights</c>, <c>/layers</c>, ...; anywhere
    /// for a link at the root), end at a dataset (a link to a group can make a walk endless), and not loop.
    /// </summary>
    static void CheckSoftLink(NativeFile root, string file, string groupPath, string linkPath, string target)
    {
        var scope = groupPath.Length == 0 ? "/" : "/" + groupPath.Split('/', StringSplitOptions.RemoveEmptyEntries)[0];
        var visited = new List<string> { linkPath };
        var (dir, next) = (groupPath, target);
        for (var hop = 0; ; hop++)
        {
            var absolute = Normalize(next.StartsWith('/') ? next : $"{dir}/{next}");
            if (absolute is null || !(scope == "/" || absolute == scope || absolute.StartsWith(scope + "/", StringComparison.Ordinal)))
                throw new UnsafeModelFileException(file, linkPath, "soft link that leaves its group",
                    $"it points at '{next}', outside '{scope}'; KerasPort follows soft links only within the group being read");
            if (visited.Contains(absolute) || hop >= MaxSoftLinkHops)
                throw new UnsafeModelFileException(file, linkPath, "soft link loop",
                    $"{string.Join(" -> ", visited.Append(absolute))}; following it would never end");
            visited.Add(absolute);
            var (kind, parent, target2) = Resolve(root, file, linkPath, absolute);
            switch (kind)
            {
                case Hdf5LinkKind.Soft:
                    (dir, next) = (parent, target2!);
                    continue;
                case Hdf5LinkKind.Hard:
                    return;
                default:
                    throw new UnsafeModelFileException(file, linkPath, "soft link to an external link", $"'{absolute}' is an external link");
            }
        }
    }

    /// <summary>Walks <paramref name="absolute"/> from the root through hard links; returns the last link's kind, the group holding it and a soft link's target.</summary>
    static (Hdf5LinkKind Kind, string Parent, string? Target) Resolve(NativeFile root, string file, string linkPath, string absolute)
    {
        NativeGroup group = root;
        var segments = absolute.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var parent = "";
        for (var i = 0; i < segments.Length; i++)
        {
            var link = Links(group, file, parent).FirstOrDefault(l => l.Name == segments[i]);
            if (link.Name is null)
                throw new ModelFileException(file, linkPath, $"soft link points at '{absolute}', which does not exist");
            var last = i == segments.Length - 1;
            if (link.Kind != Hdf5LinkKind.Hard)
            {
                if (last) return (link.Kind, parent, link.Target);
                throw new UnsafeModelFileException(file, linkPath, "soft link through another link", $"'{parent}/{segments[i]}' on the way to '{absolute}' is not a plain group");
            }
            var target = group.Get(segments[i]);
            if (last)
            {
                if (target is NativeGroup)
                    throw new UnsafeModelFileException(file, linkPath, "soft link to a group", $"'{absolute}' is a group; a link to a group can make a walk of the file endless");
                return (Hdf5LinkKind.Hard, parent, null);
            }
            group = target as NativeGroup ?? throw new ModelFileException(file, linkPath, $"soft link points at '{absolute}', but '{parent}/{segments[i]}' is not a group");
            parent += "/" + segments[i];
        }
        throw new UnsafeModelFileException(file, linkPath, "soft link to the root group", "a link to the root can make a walk of the file endless");
    }

    /// <summary>An absolute HDF5 path without empty or '.' segments; null if it climbs with '..' (HDF5 paths have no parent step).</summary>
    static string? Normalize(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToList();
        return segments.Contains("..") ? null : "/" + string.Join('/', segments);
    }
}
