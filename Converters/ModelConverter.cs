using KerasPort.Converters.Hdf5;
using KerasPort.Converters.KerasPortFormat;
using KerasPort.Converters.Onnx;

namespace KerasPort.Converters;

/// <summary>The formats <see cref="ModelConverter"/> writes.</summary>
public enum ConversionTarget
{
    /// <summary>KerasPort's own archive (<c>.kerasport</c>): loads fast, with no Keras parsing.</summary>
    TorchSharp,
    /// <summary>A Keras 3 <c>.keras</c> zip.</summary>
    Keras,
    /// <summary>An ONNX model (<c>.onnx</c>, opset 17) that computes what Keras computes.</summary>
    Onnx,
    /// <summary>A legacy full-model <c>.h5</c> file (<c>model.save("m.h5")</c>) of the source's Keras generation (see <see cref="LegacyHdf5Writer"/>).</summary>
    LegacyHdf5,
    /// <summary>
    /// Keras 3 weights, <c>NAME.weights.h5</c> (<c>model.save_weights</c>), or sharded with
    /// <see cref="ModelConverter.KerasWeightsFiles"/>; with the architecture as <c>NAME.json</c> when written by that method.
    /// </summary>
    KerasWeights,
}

/// <summary>Writes a <see cref="ModelDescription"/> to a file of a <see cref="ConversionTarget"/>, atomically.</summary>
public static class ModelConverter
{
    /// <summary>The file extension of <paramref name="target"/>, with its dot.</summary>
    public static string Extension(ConversionTarget target) => target switch
    {
        ConversionTarget.Keras => ".keras",
        ConversionTarget.Onnx => ".onnx",
        ConversionTarget.LegacyHdf5 => ".h5",
        ConversionTarget.KerasWeights => ".weights.h5",
        _ => ".kerasport",
    };

    /// <summary>
    /// The default output for <paramref name="input"/>: <c>model.kerasport</c> / <c>model.keras</c> / <c>model.h5</c> next to
    /// it; when that is the input itself (converting a .keras to .keras), <c>model.converted.keras</c>.
    /// </summary>
    /// <param name="input">The model file converted.</param>
    /// <param name="target">The format written.</param>
    /// <param name="sharded">For <see cref="ConversionTarget.KerasWeights"/>: the weights are sharded, so the output is their index, <c>model.weights.json</c>.</param>
    public static string DefaultOutput(string input, ConversionTarget target, bool sharded = false)
    {
        // A SavedModel directory named with a trailing slash ("model/") converts to "model.kerasport" beside it.
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(input));
        var stem = Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full));
        var extension = sharded && target == ConversionTarget.KerasWeights ? ".weights.json" : Extension(target);
        var output = stem + extension;
        return string.Equals(output, full, StringComparison.Ordinal) ? stem + ".converted" + extension : output;
    }

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="output"/> through a temporary file in the same folder that is
    /// renamed into place only when complete, so a failure leaves nothing behind. An existing file is replaced only
    /// with <paramref name="force"/>; <paramref name="input"/> (the source file) never is.
    /// </summary>
    /// <exception cref="ModelFileException">The output exists (without <paramref name="force"/>) or is the input.</exception>
    /// <exception cref="UnsupportedLayerException">A layer cannot be written in the target format.</exception>
    public static void Write(ModelDescription model, ConversionTarget target, string output, bool force, params string[] input) =>
        WriteFiles([new OutputFile(output, stream => WriteTarget(model, target, stream))], force, null, input);

    /// <summary>Writes <paramref name="model"/> in <paramref name="target"/>'s format to <paramref name="stream"/>.</summary>
    /// <exception cref="UnsupportedLayerException">A layer cannot be written in the target format.</exception>
    public static void WriteTarget(ModelDescription model, ConversionTarget target, Stream stream)
    {
        switch (target)
        {
            case ConversionTarget.Keras: KerasArchiveWriter.Write(ForKeras3(model), stream); break;
            case ConversionTarget.KerasWeights: Keras3WeightsWriter.Write(ForKeras3Weights(model), stream); break;
            case ConversionTarget.LegacyHdf5: LegacyHdf5Writer.WriteModel(model, stream); break;
            case ConversionTarget.Onnx: OnnxModelWriter.Write(model, stream); break;
            default: KerasPortArchive.Write(model, stream); break;
        }
    }

    // A Keras 1/2 training_config names optimizers and losses the Keras 2 way (lr, decay, ...), which Keras 3 refuses
    // while compiling a loaded .keras; an upgraded file is written uncompiled, like Keras's own upgrade.
    static ModelDescription ForKeras3(ModelDescription model) =>
        model.KerasMajorVersion < 3 ? model with { CompileConfig = null, OptimizerState = null } : model;

    /// <summary>The model as Keras 3 weights files and their architecture name it: <see cref="ForKeras3"/>, with Keras 3 class names.</summary>
    static ModelDescription ForKeras3Weights(ModelDescription model) => LegacyConfigNormalizer.UpgradeClassesToKeras3(ForKeras3(model));

    /// <summary>
    /// The files of <paramref name="model"/> as Keras 3 weights beside their architecture, for
    /// <c>keras.models.model_from_json(open("NAME.json").read()).load_weights(WEIGHTS)</c> (and
    /// <c>KerasModel.Load("NAME.json", WEIGHTS)</c>). <paramref name="weightsPath"/> ends in <c>.weights.h5</c> (one
    /// file) or, with <paramref name="maxShardBytes"/>, <c>.weights.json</c>: the index, with shards of at most that size
    /// beside it (<see cref="Keras3WeightsWriter.Shard"/>). The architecture is what <c>model.to_json()</c> writes.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="weightsPath"/> has the wrong ending, or a weight is larger than <paramref name="maxShardBytes"/>.</exception>
    /// <exception cref="UnsupportedLayerException">A layer cannot be expressed in Keras 3.</exception>
    public static IReadOnlyList<OutputFile> KerasWeightsFiles(ModelDescription model, string weightsPath, long? maxShardBytes)
    {
        var ending = maxShardBytes is null ? ".weights.h5" : ".weights.json";
        if (!weightsPath.EndsWith(ending, StringComparison.Ordinal))
            throw new ArgumentException($"Keras names {(maxShardBytes is null ? "weights" : "sharded weights")} NAME{ending}; got '{Path.GetFileName(weightsPath)}'", nameof(weightsPath));
        model = ForKeras3Weights(model);
        var architecture = KerasConfigWriter.Write(model).ToJsonString();
        var files = new List<OutputFile> { new(ArchitecturePath(weightsPath), stream => WriteText(stream, architecture)) };
        if (maxShardBytes is not { } limit)
        {
            files.Add(new(weightsPath, stream => Keras3WeightsWriter.Write(model, stream)));
            return files;
        }
        var sharded = Keras3WeightsWriter.Shard(model, Path.GetFileName(weightsPath), limit);
        files.Add(new(weightsPath, stream => WriteText(stream, sharded.Index)));
        var folder = Path.GetDirectoryName(Path.GetFullPath(weightsPath))!;
        files.AddRange(sharded.Shards.Select(shard => new OutputFile(Path.Combine(folder, shard.Name), stream => shard.File.Write(stream))));
        return files;
    }

    /// <summary>The architecture file written beside Keras 3 weights: <c>NAME.json</c> for <c>NAME.weights.h5</c> or <c>NAME.weights.json</c>.</summary>
    public static string ArchitecturePath(string weightsPath)
    {
        var name = Path.GetFileName(weightsPath);
        int cut = name.LastIndexOf(".weights.", StringComparison.Ordinal);
        return Path.Combine(Path.GetDirectoryName(weightsPath) ?? "", (cut > 0 ? name[..cut] : name) + ".json");
    }

    static void WriteText(Stream stream, string text)
    {
        var bytes = new System.Text.UTF8Encoding(false).GetBytes(text);
        stream.Write(bytes);
    }

    /// <summary>
    /// Writes several files all or nothing: each goes to a temporary file beside it, and only when every one is complete
    /// are they renamed into place. The same rules as <see cref="Write(ModelDescription, ConversionTarget, string, bool, string[])"/>
    /// apply to each; <paramref name="progress"/> hears the total bytes written so far.
    /// </summary>
    /// <exception cref="ModelFileException">An output exists (without <paramref name="force"/>), is an input, or is named twice.</exception>
    public static void WriteFiles(IReadOnlyList<OutputFile> files, bool force, IProgress<long>? progress, params string[] input)
    {
        var targets = files.Select(f => Path.GetFullPath(f.Path)).ToList();
        for (int i = 0; i < files.Count; i++)
        {
            if (input.Any(source => string.Equals(Path.GetFullPath(source), targets[i], StringComparison.Ordinal)))
                throw new ModelFileException(files[i].Path, null, "is the model being converted; choose another output");
            if (File.Exists(targets[i]) && !force)
                throw new ModelFileException(files[i].Path, null, "already exists; pass --force to overwrite it");
            if (targets.IndexOf(targets[i]) != i)
                throw new ModelFileException(files[i].Path, null, "would be written twice; choose another output name");
        }
        var temporaries = new List<string>();
        try
        {
            long written = 0;
            for (int i = 0; i < files.Count; i++)
            {
                var folder = Path.GetDirectoryName(targets[i])!;
                Directory.CreateDirectory(folder);
                var temporary = Path.Combine(folder, $".{Path.GetFileName(targets[i])}.{Guid.NewGuid():N}.tmp");
                temporaries.Add(temporary);
                using var file = new FileStream(temporary, FileMode.CreateNew);
                using var counting = new CountingStream(file, progress, written);
                files[i].Write(counting);
                written = counting.Total;
            }
            for (int i = 0; i < files.Count; i++) File.Move(temporaries[i], targets[i], overwrite: force);
        }
        finally
        {
            foreach (var temporary in temporaries.Where(File.Exists)) File.Delete(temporary);
        }
    }

    /// <summary>The bytes of all weight arrays of <paramref name="model"/> (nested models included): about the size of any target file.</summary>
    public static long WeightBytes(ModelDescription model) => model.AllWeights().Sum(w => ByteSize(w.Value));

    /// <summary>The bytes <paramref name="array"/>'s elements take in a weights file.</summary>
    internal static long ByteSize(NdArray array) => array.Length * (array.DType switch { DType.Float64 or DType.Int64 => 8, DType.Bool or DType.Int8 => 1, _ => 4 });

    /// <summary>A pass-through that reports the running count of bytes written (PureHDF also reads and seeks while writing).</summary>
    sealed class CountingStream(Stream inner, IProgress<long>? progress, long start) : Stream
    {
        public long Total { get; private set; } = start;

        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => inner.SetLength(value);

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            Total += buffer.Length;
            progress?.Report(Total);
        }
    }
}

/// <summary>One file of <see cref="ModelConverter.WriteFiles"/>: where it goes and what writes its content.</summary>
/// <param name="Path">The file to write.</param>
/// <param name="Write">Writes the content to the stream it is given (and leaves it open).</param>
public sealed record OutputFile(string Path, Action<Stream> Write);
