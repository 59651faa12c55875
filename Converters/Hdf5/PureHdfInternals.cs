using System.Collections;
using System.Reflection;
using PureHDF;
using PureHDF.VOL.Native;

namespace KerasPort.Converters.Hdf5;

/// <summary>How an HDF5 link reaches its object.</summary>
internal enum Hdf5LinkKind
{
    /// <summary>An object header in this file.</summary>
    Hard,
    /// <summary>A path in this file, resolved when the link is followed.</summary>
    Soft,
    /// <summary>An object in another file.</summary>
    External,
    /// <summary>A user-defined link class.</summary>
    Other,
}

/// <summary>One link of a group as stored, before anything follows it.</summary>
/// <param name="Name">The link's name in its group.</param>
/// <param name="Kind">Hard, soft or external.</param>
/// <param name="Target">A soft link's path, or an external link's file; null for a hard link.</param>
/// <param name="ObjectPath">An external link's object path in its file; null otherwise.</param>
internal readonly record struct Hdf5RawLink(string Name, Hdf5LinkKind Kind, string? Target, string? ObjectPath);

/// <summary>
/// The metadata PureHDF 2.2.0 decodes but does not expose, read through reflection so that KerasPort can refuse a
/// file before PureHDF acts on it: a group's links as stored (its <c>Children()</c> and <c>Get()</c> follow soft and
/// external links while listing, opening the files external links name, and recurse without bound on a soft-link
/// loop), and a dataset's external file list and filter pipeline. Member names are those of PureHDF's
/// src/PureHDF/VOL/Native (NativeGroup.EnumerateReferences, NativeDataset's constructor). A PureHDF version
/// without them fails every HDF5 read with <see cref="MissingMemberException"/>, never silently skips the checks.
/// </summary>
internal static class PureHdfInternals
{
    const BindingFlags Members = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;
    static readonly Assembly PureHdf = typeof(NativeGroup).Assembly;

    static Type InternalType(string name) =>
        PureHdf.GetType("PureHDF.VOL.Native." + name) ?? throw new MissingMemberException($"PureHDF has no type {name}");

    static object? Get(object owner, string name, Type? declaring = null)
    {
        var type = declaring ?? owner.GetType();
        if (type.GetProperty(name, Members) is { } property) return Invoke(property.GetMethod ?? throw new MissingMemberException(type.FullName, name), owner, []);
        if (type.GetField(name, Members) is { } field) return field.GetValue(owner);
        throw new MissingMemberException(type.FullName, name);
    }

    /// <summary>Calls method <paramref name="name"/> of <paramref name="owner"/>; a private one is looked up on <paramref name="declaring"/>, the class that declares it.</summary>
    static object? Call(object owner, string name, object?[] arguments, Type? declaring = null)
    {
        var type = declaring ?? owner.GetType();
        return Invoke(type.GetMethod(name, Members) ?? throw new MissingMemberException(type.FullName, name), owner, arguments);
    }

    static object? Invoke(MethodInfo method, object? owner, object?[] arguments)
    {
        try { return method.Invoke(owner, arguments); }
        catch (TargetInvocationException e) when (e.InnerException is { } inner) { throw inner; }
    }

    static readonly MethodInfo GetMessages = InternalType("ObjectHeader").GetMethod("GetMessages", Members)
        ?? throw new MissingMemberException("ObjectHeader", "GetMessages");

    /// <summary>The messages of type <paramref name="messageType"/> in <paramref name="owner"/>'s object header.</summary>
    static List<object> Messages(NativeObject owner, string messageType)
    {
        var header = Get(owner, "Header", typeof(NativeObject))!;
        var messages = (IEnumerable)Invoke(GetMessages.MakeGenericMethod(InternalType(messageType)), header, [])!;
        return messages.Cast<object>().ToList();
    }

    /// <summary>The address of <paramref name="owner"/>'s object header: the same object reached twice has the same address.</summary>
    public static ulong Address(NativeObject owner) => (ulong)Get(Get(owner, "Reference", typeof(NativeObject))!, "Value")!;

    /// <summary>
    /// The links of <paramref name="group"/> as stored, from every place a link may be kept; none is followed. A group
    /// that HDF5 converted from a symbol table to link messages (as it does on adding an external link) keeps its old
    /// symbol table cached in its parent's entry; PureHDF then lists the old links, the C library the new: both count.
    /// </summary>
    public static List<Hdf5RawLink> Links(NativeGroup group)
    {
        var links = new List<Hdf5RawLink>();
        if (Get(group, "_scratchPad", typeof(NativeGroup)) is { } cached) links.AddRange(SymbolTableLinks(group, cached));
        foreach (var table in Messages(group, "SymbolTableMessage")) links.AddRange(SymbolTableLinks(group, table));
        switch (Messages(group, "LinkInfoMessage"))
        {
            case [var info]:
                links.AddRange(LinkMessages(group, info));
                break;
            case [_, _, ..]:
                throw new InvalidDataException("a group has more than one link info message");
        }
        return links.Distinct().ToList();
    }

    /// <summary>The entries of an old-style group's symbol table (h5py's default): hard and soft links only.</summary>
    static List<Hdf5RawLink> SymbolTableLinks(NativeGroup group, object symbolTable)
    {
        var heap = Get(symbolTable, "LocalHeap")!;
        var getBTree = symbolTable.GetType().GetMethod("GetBTree1", Members) ?? throw new MissingMemberException(symbolTable.GetType().FullName, "GetBTree1");
        var decodeKey = Delegate.CreateDelegate(getBTree.GetParameters()[0].ParameterType, group,
            typeof(NativeGroup).GetMethod("DecodeGroupKey", Members) ?? throw new MissingMemberException(nameof(NativeGroup), "DecodeGroupKey"));
        var nodes = (IEnumerable)Call(group, "EnumerateSymbolTableNodes", [Invoke(getBTree, symbolTable, [decodeKey])], typeof(NativeGroup))!;
        string Name(object offset) => (string)Call(heap, "GetObjectName", [Convert.ToUInt64(offset)])!;
        var links = new List<Hdf5RawLink>();
        foreach (var node in nodes)
            foreach (var entry in (IEnumerable)Get(node, "GroupEntries")!)
            {
                var name = Name(Get(entry, "LinkNameOffset")!);
                links.Add(Get(entry, "ScratchPad") is { } pad && pad.GetType().Name == "SymbolicLinkScratchPad"
                    ? new Hdf5RawLink(name, Hdf5LinkKind.Soft, Name(Get(pad, "LinkValueOffset")!), null)
                    : new Hdf5RawLink(name, Hdf5LinkKind.Hard, null, null));
            }
        return links;
    }

    static List<Hdf5RawLink> LinkMessages(NativeGroup group, object info)
    {
        // New-style groups keep link messages in the header (compact) or in a fractal heap indexed by name (dense).
        var superblock = Get(Get(group, "Context", typeof(NativeObject))!, "Superblock")!;
        var dense = !(bool)Call(superblock, "IsUndefinedAddress", [Get(info, "BTree2NameIndexAddress")])!;
        var messages = dense ? ((IEnumerable)Call(group, "EnumerateLinkMessagesFromLinkInfoMessage", [info], typeof(NativeGroup))!).Cast<object>() : Messages(group, "LinkMessage");
        return messages.Select(message =>
        {
            var name = (string)Get(message, "LinkName")!;
            var link = Get(message, "LinkInfo")!;
            return link.GetType().Name switch
            {
                "HardLinkInfo" => new Hdf5RawLink(name, Hdf5LinkKind.Hard, null, null),
                "SoftLinkInfo" => new Hdf5RawLink(name, Hdf5LinkKind.Soft, (string)Get(link, "Value")!, null),
                "ExternalLinkInfo" => new Hdf5RawLink(name, Hdf5LinkKind.External, (string)Get(link, "FilePath")!, (string)Get(link, "FullObjectPath")!),
                _ => new Hdf5RawLink(name, Hdf5LinkKind.Other, null, null),
            };
        }).ToList();
    }

    /// <summary>The files a dataset's raw data is stored in (HDF5 External Data Files message), or null when it is stored in this file.</summary>
    public static List<string>? ExternalFiles(NativeDataset dataset)
    {
        if (Get(dataset, "InternalExternalFileList", typeof(NativeDataset)) is not { } list) return null;
        // The names are only for the message: a corrupt heap must not hide that the dataset points outside.
        try
        {
            var heap = Get(list, "Heap")!;
            return ((IEnumerable)Get(list, "SlotDefinitions")!).Cast<object>()
                .Select(slot => (string)Call(heap, "GetObjectName", [Convert.ToUInt64(Get(slot, "NameHeapOffset"))])!).ToList();
        }
        catch (Exception e) when (e is not MissingMemberException) { return ["(unreadable name)"]; }
    }

    /// <summary>The filters of a dataset's pipeline, in order: identifier and recorded name.</summary>
    public static List<(ushort Id, string Name)> Filters(NativeDataset dataset) =>
        Get(dataset, "InternalFilterPipeline", typeof(NativeDataset)) is { } pipeline
            ? ((IEnumerable)Get(pipeline, "FilterDescriptions")!).Cast<object>()
                .Select(filter => ((ushort)Get(filter, "Identifier")!, (string?)Get(filter, "Name") ?? "")).ToList()
            : [];

    /// <summary>True when <paramref name="dataset"/> is a virtual dataset (its data maps other datasets, usually in other files).</summary>
    public static bool IsVirtual(NativeDataset dataset) => dataset.Layout.Class == H5DataLayoutClass.VirtualStorage;
}
