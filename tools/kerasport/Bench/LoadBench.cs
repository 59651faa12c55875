using System.Diagnostics;
using KerasPort.Converters.Hdf5;
using KerasPort.Converters.Keras;
using KerasPort.Converters.Model;
using KerasPort.Runtime;
using static System.FormattableString;

namespace KerasPort.Cli.Bench;

/// <summary>
/// <c>kerasport bench --load</c>: writes the model (its weights as built, random ones included) as a legacy
/// <c>.h5</c> and as a Keras 3 <c>.keras</c> with KerasPort's own writers to a temporary folder, then times, per file,
/// <see cref="KerasModel.Load(string, KerasModelOptions?)"/> from the path to a model ready to predict and the first
/// prediction after it. The first run in the process also pays for JIT compilation and libtorch's lazy
/// initialization; the median is over the runs after it.
/// </summary>
internal static class LoadBench
{
    /// <summary>Prints the files' sizes, then a <c>load</c> line per format with the median of <paramref name="runs"/> runs.</summary>
    public static void Run(KerasModel model, NdArray[] inputs, int runs)
    {
        Console.WriteLine(Invariant($"load   first prediction at batch {inputs[0].Shape[0]}"));
        var folder = Directory.CreateTempSubdirectory("kerasport-load-");
        try
        {
            var built = model.BuiltDescription;
            var files = new (string Format, string Path, Action<ModelDescription, Stream> Write)[]
            {
                ("h5", Path.Combine(folder.FullName, "model.h5"), LegacyHdf5Writer.WriteModel),
                ("keras", Path.Combine(folder.FullName, "model.keras"), KerasArchiveWriter.Write),
            };
            foreach (var (format, path, write) in files)
            {
                using (var stream = File.Create(path)) write(built, stream);
                Console.WriteLine(Invariant($"file   {format,-5}  {new FileInfo(path).Length / (1024.0 * 1024.0):F1} MiB  ({path})"));
            }
            foreach (var (format, path, _) in files)
            {
                var (cold, load, first) = Time(path, inputs, runs);
                Console.WriteLine(Invariant(
                    $"load   {format,-5}  median {load:F3} s  load+first predict {first:F3} s  (first run in process: {cold.Load:F3} s, {cold.First:F3} s; {runs} runs)"));
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The first run's times, then the medians of <paramref name="runs"/> more: load, and load plus the first prediction.</summary>
    static ((double Load, double First) Cold, double Load, double First) Time(string path, NdArray[] inputs, int runs)
    {
        var samples = Enumerable.Range(0, runs + 1).Select(_ => Once(path, inputs)).ToList();
        return (samples[0], BenchTimer.Median(samples.Skip(1).Select(s => s.Load)), BenchTimer.Median(samples.Skip(1).Select(s => s.First)));
    }

    static (double Load, double First) Once(string path, NdArray[] inputs)
    {
        var watch = Stopwatch.StartNew();
        using var model = KerasModel.Load(path);
        double load = watch.Elapsed.TotalSeconds;
        model.Predict(inputs);
        return (load, watch.Elapsed.TotalSeconds);
    }
}
