// MSBuild inline task (see LibTorchSharpGlibcxxPatch.targets for why it exists).
// ELF layout per the System V gABI and the GNU symbol-versioning extension (Verneed/Vernaux, VER_FLG_WEAK).
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class PatchLibTorchSharpGlibcxx : Task
{
    const string LibraryName = "libLibTorchSharp.so";
    const string MissingVersion = "GLIBCXX_3.4.32";
    const string MarkerSymbol = "_ZSt21ios_base_library_initv";
    const uint ShtDynsym = 11;
    const uint ShtGnuVerneed = 0x6ffffffe;
    const uint ShtGnuVersym = 0x6fffffff;
    const ushort VerFlgWeak = 0x2;

    static readonly string[] SystemLibstdcxxPaths =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/lib/aarch64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
    };

    [Required] public string Directory { get; set; } = "";

    /// <summary>Patch even where this machine's libstdc++ has the version: the output runs elsewhere (a tool package).</summary>
    public bool Always { get; set; }

    public override bool Execute()
    {
        if (!System.IO.Directory.Exists(Directory)) return true;
        var libraries = System.IO.Directory.GetFiles(Directory, LibraryName, SearchOption.AllDirectories);
        if (libraries.Length == 0) return true;
        if (!Always && SystemHasVersion())
        {
            Log.LogMessage(MessageImportance.Low, $"System libstdc++ provides {MissingVersion}; {LibraryName} left as shipped.");
            return true;
        }
        foreach (var path in libraries)
        {
            try { PatchFile(path); }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is ArgumentException)
            {
                Log.LogError($"{path}: cannot mark {MissingVersion} weak: {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    static bool SystemHasVersion()
    {
        var found = SystemLibstdcxxPaths.FirstOrDefault(File.Exists);
        if (found == null) return false;
        var needle = Encoding.ASCII.GetBytes(MissingVersion + "\0");
        return IndexOf(File.ReadAllBytes(found), needle) >= 0;
    }

    void PatchFile(string path)
    {
        var image = File.ReadAllBytes(path);
        var elf = new Elf64(image);
        var verneed = elf.Sections.FirstOrDefault(s => s.Type == ShtGnuVerneed)
            ?? throw new InvalidDataException("no .gnu.version_r section");
        var verneedStrings = elf.Sections[(int)verneed.Link];

        long auxOffset = -1;
        ushort versionIndex = 0;
        long need = verneed.Offset;
        for (int n = 0; n < (int)verneed.Info; n++)
        {
            int count = elf.U16(need + 2);
            long aux = need + elf.U32(need + 8);
            for (int a = 0; a < count; a++)
            {
                if (elf.String(verneedStrings, elf.U32(aux + 8)) == MissingVersion)
                {
                    auxOffset = aux;
                    versionIndex = (ushort)(elf.U16(aux + 6) & 0x7fff);
                }
                aux += elf.U32(aux + 12);
            }
            need += elf.U32(need + 12);
        }
        if (auxOffset < 0)
        {
            Log.LogMessage(MessageImportance.Low, $"{path}: does not need {MissingVersion}.");
            return;
        }
        ushort flags = elf.U16(auxOffset + 4);
        if ((flags & VerFlgWeak) != 0)
        {
            Log.LogMessage(MessageImportance.Low, $"{path}: {MissingVersion} already weak.");
            return;
        }

        var symbols = SymbolsBoundTo(elf, versionIndex);
        if (symbols.Count != 1 || symbols[0] != MarkerSymbol)
            throw new InvalidDataException(
                $"{MissingVersion} binds [{string.Join(", ", symbols)}], not only {MarkerSymbol}; refusing to weaken it");

        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(image, auxOffset + 4);
        var temporary = path + ".kerasport-patch";
        File.WriteAllBytes(temporary, image);
        File.Delete(path); // unlink first: never write through a hard link into the package cache
        File.Move(temporary, path);
        Log.LogMessage(MessageImportance.High, $"KerasPort: marked {MissingVersion} weak in {path} (system libstdc++ lacks it).");
    }

    static List<string> SymbolsBoundTo(Elf64 elf, ushort versionIndex)
    {
        var versym = elf.Sections.First(s => s.Type == ShtGnuVersym);
        var dynsym = elf.Sections.First(s => s.Type == ShtDynsym);
        var names = elf.Sections[(int)dynsym.Link];
        var bound = new List<string>();
        long count = dynsym.Size / 24;
        for (long i = 0; i < count; i++)
        {
            if ((elf.U16(versym.Offset + 2 * i) & 0x7fff) != versionIndex) continue;
            bound.Add(elf.String(names, elf.U32(dynsym.Offset + 24 * i)));
        }
        return bound;
    }

    static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    sealed class Section
    {
        public uint Type; public long Offset; public long Size; public uint Link; public uint Info;
    }

    /// <summary>Just enough of a little-endian ELF64 reader to walk section headers and string tables.</summary>
    sealed class Elf64
    {
        readonly byte[] image;
        public readonly List<Section> Sections = new List<Section>();

        public Elf64(byte[] image)
        {
            this.image = image;
            if (image.Length < 64 || image[0] != 0x7f || image[1] != 'E' || image[2] != 'L' || image[3] != 'F')
                throw new InvalidDataException("not an ELF file");
            if (image[4] != 2 || image[5] != 1) throw new InvalidDataException("not a little-endian ELF64 file");
            long headers = (long)BitConverter.ToUInt64(image, 0x28);
            int size = U16(0x3A), count = U16(0x3C);
            for (int i = 0; i < count; i++)
            {
                long h = headers + (long)i * size;
                Sections.Add(new Section
                {
                    Type = U32(h + 4),
                    Offset = (long)BitConverter.ToUInt64(image, (int)(h + 24)),
                    Size = (long)BitConverter.ToUInt64(image, (int)(h + 32)),
                    Link = U32(h + 40),
                    Info = U32(h + 44),
                });
            }
        }

        public ushort U16(long at) => BitConverter.ToUInt16(image, checked((int)at));
        public uint U32(long at) => BitConverter.ToUInt32(image, checked((int)at));

        public string String(Section table, uint at)
        {
            int start = checked((int)(table.Offset + at)), end = start;
            while (image[end] != 0) end++;
            return Encoding.ASCII.GetString(image, start, end - start);
        }
    }
}
