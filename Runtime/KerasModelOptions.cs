using TorchSharp;

namespace KerasPort.Runtime;

/// <summary>How <see cref="KerasModel.Load(string, KerasModelOptions?)"/> builds a model. Every property has a sensible default.</summary>
public sealed record KerasModelOptions
{
    /// <summary>
    /// Where the model runs: <c>"cpu"</c> (default), <c>"cuda"</c> or <c>"cuda:N"</c>. CUDA needs a GPU build of
    /// TorchSharp in the app (see <see cref="ResolveDevice(string)"/>).
    /// </summary>
    public string Device { get; init; } = "cpu";

    /// <summary>
    /// Intra-op threads for this model's CPU predictions, fixed. Null (default) chooses per call between one thread
    /// and a team of cores ÷ predictions in flight, by the latency each measured on inputs of that size: a team when
    /// the machine is quiet and the work per call is large enough to split, one thread when other processes hold
    /// cores (libtorch's team then waits for a descheduled worker after every operator). A value also becomes
    /// TorchSharp's process-wide default, which training and direct TorchSharp calls use.
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>The layer classes the model may use; null means the built-in layers (<see cref="LayerRegistry.CreateDefault"/>).</summary>
    public LayerRegistry? Registry { get; init; }

    /// <summary>
    /// Create weights the file lacks with Keras-like initial values (architecture-only files, for shape checks and
    /// summaries). False (default): a missing weight is an error.
    /// </summary>
    public bool InitializeMissingWeights { get; init; }

    /// <summary>
    /// On Linux with glibc, keep the memory libtorch frees after a prediction for the next one instead of returning it
    /// to the OS (<c>mallopt</c>: no <c>mmap</c>ed blocks, 2 GiB trim threshold). True (default): large batches stop
    /// paying for fresh zeroed pages on every call, and resident memory stays flat at the peak of the largest
    /// prediction. The setting is process-wide and applies once, with the first model created with it; false leaves
    /// the allocator alone. It has no effect on other platforms.
    /// </summary>
    public bool RetainNativeMemory { get; init; } = true;

    /// <summary>Whether <see cref="RetainNativeMemory"/> took effect in this process (a model was created with it, on glibc).</summary>
    public static bool NativeMemoryRetained => NativeAllocator.Retaining;

    /// <summary>
    /// Turns a device name (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>) into a TorchSharp device. Asking for CUDA where
    /// TorchSharp has no CUDA backend throws a <see cref="KerasPortException"/> naming the packages to add.
    /// </summary>
    public static Device ResolveDevice(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = name.Trim().ToLowerInvariant();
        if (text == "cpu") return CPU;
        if (text != "cuda" && !text.StartsWith("cuda:", StringComparison.Ordinal))
            throw new ArgumentException($"unknown device '{name}': use \"cpu\", \"cuda\" or \"cuda:N\"", nameof(name));
        if (!cuda.is_available())
            throw new KerasPortException(
                $"device '{name}' was requested but CUDA is not available to TorchSharp. KerasPort depends on TorchSharp-cpu; " +
                "for a GPU, add a package reference to TorchSharp-cuda-linux (or TorchSharp-cuda-windows), which brings " +
                "libtorch-cuda, and run on a machine with an NVIDIA driver");
        return torch.device(text);
    }
}
