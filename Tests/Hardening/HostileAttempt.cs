namespace KerasPort.Tests.Hardening;

/// <summary>What one attempt on a hostile file came to.</summary>
public enum HostileOutcome
{
    /// <summary>The file loaded (and, for a model, ran).</summary>
    Loaded,
    /// <summary>A typed KerasPort error whose message names the file, layer or weight at fault.</summary>
    Refused,
}

/// <summary>
/// Runs one read of a hostile file under the hardening contract: it ends within <see cref="TimeLimit"/>, allocates
/// at most <see cref="AllocationLimit"/> managed bytes, and either succeeds or throws a <see cref="KerasPortException"/>
/// that names the part at fault. Anything else fails the test with the offending input's description.
/// </summary>
public static class HostileAttempt
{
    /// <summary>Generous for a loaded 2-core CI machine; a healthy attempt takes milliseconds.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Golden files are kilobytes, yet the bound is 2.25 GiB: PureHDF 2.2.0 allocates a variable-length string's
    /// global-heap object at the size the file claims (an int, so at most 2 GiB) before finding the file too short.
    /// KerasPort turns the failure into a <see cref="ModelFileException"/>; every other reader stays far below this.
    /// </summary>
    public const long AllocationLimit = (2L << 30) + (256L << 20);

    /// <summary>
    /// Runs <paramref name="read"/> (which must only touch <paramref name="paths"/>) and checks the contract.
    /// <paramref name="label"/> describes the mutant for failure messages.
    /// </summary>
    public static HostileOutcome Run(string label, IReadOnlyList<string> paths, Action read)
    {
        Exception? error = null;
        long allocated = 0;
        var task = Task.Factory.StartNew(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try { read(); }
            catch (Exception e) { error = e; }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }, TaskCreationOptions.LongRunning);
        if (!task.Wait(TimeLimit))
            throw new Xunit.Sdk.XunitException($"{label}: still running after {TimeLimit.TotalSeconds:0} s (hang)");
        if (allocated > AllocationLimit)
            throw new Xunit.Sdk.XunitException($"{label}: allocated {allocated:N0} bytes (limit {AllocationLimit:N0})");
        switch (error)
        {
            case null:
                return HostileOutcome.Loaded;
            case ModelFileException file when !paths.Any(p => file.FilePath.StartsWith(p, StringComparison.Ordinal)):
                throw new Xunit.Sdk.XunitException($"{label}: error names '{file.FilePath}', not the file read: {file.Message}");
            case WeightMismatchException weight when weight.LayerName.Length == 0 || weight.WeightName.Length == 0:
                throw new Xunit.Sdk.XunitException($"{label}: weight error names no layer or weight: {weight.Message}");
            case UnsupportedLayerException unsupported when unsupported.ClassName is null:
                throw new Xunit.Sdk.XunitException($"{label}: unsupported-layer error names no class: {unsupported.Message}");
            case KerasPortException typed when string.IsNullOrWhiteSpace(typed.Message):
                throw new Xunit.Sdk.XunitException($"{label}: error without a message");
            case KerasPortException:
                return HostileOutcome.Refused;
            default:
                throw new Xunit.Sdk.XunitException($"{label}: escaped as {error.GetType().FullName}: {error.Message}\n{error.StackTrace}");
        }
    }

    /// <summary>Loads a model (plus weights), builds it and runs it on <paramref name="inputs"/>; the whole path a service takes.</summary>
    public static void LoadAndPredict(string model, string? weights, IReadOnlyList<NdArray> inputs)
    {
        var description = KerasModelReader.Load(model, weights);
        using var built = KerasModel.Create(description);
        built.Predict([.. inputs]);
    }

    /// <summary>Reads a data file the way <c>kerasport predict</c> does.</summary>
    public static void ReadData(string path)
    {
        if (NpyFormat.IsNpy(path)) NpyFormat.Read(path);
        else NpzArchive.Read(path);
    }
}
