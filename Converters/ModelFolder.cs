namespace KerasPort.Converters;

/// <summary>
/// Resolves a path that a model names (a file inside an unzipped <c>.keras</c> folder, a shard of a sharded
/// <c>*.weights.json</c>, a SavedModel's <c>variables/</c>) under the model's own folder, and refuses one that would
/// leave it: absolute paths, <c>..</c> steps, and symbolic links whose target lies outside. A service that loads
/// uploaded models must never be made to read another file it can reach.
/// </summary>
public static class ModelFolder
{
    /// <summary>Symbolic links followed on one path before it is refused as a loop (Linux's own limit is 40).</summary>
    const int MaxLinkHops = 40;

    /// <summary>
    /// The full path of <paramref name="relativePath"/> under <paramref name="folder"/>, with every symbolic link on the
    /// way resolved and checked to stay in the folder. <paramref name="namedBy"/> is the file that names the path, for errors.
    /// The result need not exist.
    /// </summary>
    /// <exception cref="UnsafeModelFileException">The path is absolute, climbs with <c>..</c>, or leads out through a link.</exception>
    public static string Resolve(string folder, string relativePath, string namedBy)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(relativePath);
        UnsafeModelFileException Refuse(string why) => new(namedBy, relativePath, "path that leaves the model's folder", why);
        if (relativePath.Length == 0 || relativePath.Contains('\0')) throw Refuse("the path is empty or holds a NUL character");
        if (Path.IsPathRooted(relativePath) || relativePath.StartsWith('/') || relativePath.StartsWith('\\') || (relativePath.Length >= 2 && relativePath[1] == ':'))
            throw Refuse("the path is absolute; a model may name files only inside its own folder");
        var segments = Segments(relativePath);
        if (segments.Contains(".."))
            throw Refuse("the path climbs out with '..'; a model may name files only inside its own folder");

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var pending = new Queue<string>(segments);
        var current = root;
        for (var hops = 0; pending.TryDequeue(out var segment);)
        {
            var next = Path.Combine(current, segment);
            if (new FileInfo(next).LinkTarget is not { } target)
            {
                current = next;
                continue;
            }
            if (++hops > MaxLinkHops) throw Refuse($"more than {MaxLinkHops} symbolic links on the way: a link loop");
            var resolved = Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(current, target));
            if (!Within(resolved, root))
                throw Refuse($"'{Path.GetRelativePath(root, next)}' is a symbolic link to '{target}', outside the model's folder");
            // Walk the target again from the folder: links on its own way count too.
            var rest = pending.ToList();
            pending = new Queue<string>(Segments(Path.GetRelativePath(root, resolved)).Concat(rest));
            current = root;
        }
        return current;
    }

    static List<string> Segments(string path) =>
        path.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToList();

    static bool Within(string path, string root) =>
        path == root || path.StartsWith(root + Path.DirectorySeparatorChar, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
}
