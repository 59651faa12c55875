using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using TorchSharp;

namespace KerasPort.Runtime.Layers.Convolution;

/// <summary>
/// A 2-D convolution run by oneDNN with its kernel reordered once into oneDNN's own blocked layout ("packed"), for the
/// inference plan. <c>F.conv2d</c> hands oneDNN the dense channels_last kernel, which oneDNN reorders on every call: for
/// ResNet50 at batch 1 that was 10 ms of a 100 ms pass (2.2 ms per call for a 512x512x3x3 kernel), and for 1x1 kernels
/// libtorch takes MKL's AVX2 path on AMD where oneDNN runs AVX-512 (measured with <c>kerasport bench</c> and
/// <c>ONEDNN_VERBOSE=1</c>, see the README).
/// </summary>
/// <remarks>
/// libtorch registers the operators Inductor uses for this, <c>mkldnn::_reorder_convolution_weight</c> and
/// <c>mkldnn::_convolution_pointwise</c> (aten/src/ATen/native/mkldnn/Conv.cpp), but TorchSharp 0.107 binds neither,
/// and <c>torch.jit.compile</c> resolves only <c>torch.*</c> (aten) names. TorchScript's importer does resolve
/// <c>ops.mkldnn.*</c>, so <see cref="Module"/> is a TorchScript module with one method per operator, written here as
/// a serialized archive (code, pickled module object, version) and loaded once with <c>torch.jit.load</c>. Where it
/// does not load (a libtorch without oneDNN), <see cref="Available"/> is false and convolutions stay on <c>F.conv2d</c>.
/// The values are those of <c>F.conv2d</c> (the same oneDNN kernels; 1x1 kernels sum in another order than MKL). The
/// only activation fused into the call is swish (see <see cref="Activations.Activations.ConvolutionPostOp"/>): oneDNN's
/// ReLU maps NaN to 0 where torch's keeps NaN, as Keras does.
/// Arguments cross into TorchScript as tensors and <see cref="int"/>s only, which TorchSharp passes without making
/// <see cref="Scalar"/>s (see <see cref="KeptScalars"/>).
/// </remarks>
internal sealed class PackedConvolution : IDisposable
{
    static readonly Lazy<jit.ScriptModule?> Module = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    readonly Tensor kernel;
    readonly long[] kernelShape;
    readonly Tensor? bias;
    readonly int[] strides;
    readonly int[] dilation;
    readonly int groups;
    readonly Lock gate = new();
    /// <summary>The packed kernels made so far, one per intra-op team size (read without the lock, replaced under it).</summary>
    (int Threads, Tensor Weight)[] packings = [];

    PackedConvolution(Tensor kernel, Tensor? bias, int[] strides, int[] dilation, int groups)
    {
        this.kernel = kernel;
        kernelShape = kernel.Sizes();
        this.bias = bias;
        this.strides = strides;
        this.dilation = dilation;
        this.groups = groups;
    }

    /// <summary>Whether the oneDNN operators loaded in this process.</summary>
    public static bool Available => Module.Value is not null;

    /// <summary>
    /// A packed convolution with torch kernel <paramref name="kernel"/> (<c>(out, in / groups, kh, kw)</c>, float32 on the
    /// CPU) and <paramref name="bias"/>, which the caller keeps alive; null where the operators are unavailable or the
    /// convolution is not a float32 2-D one on the CPU.
    /// </summary>
    public static PackedConvolution? Create(Tensor kernel, Tensor? bias, long[] strides, long[] dilation, long groups) =>
        strides.Length == 2 && kernel.dtype == ScalarType.Float32 && kernel.device_type == DeviceType.CPU && Available
            ? new PackedConvolution(kernel, bias, strides.Select(s => (int)s).ToArray(), dilation.Select(d => (int)d).ToArray(), (int)groups)
            : null;

    /// <summary>
    /// Convolves torch-layout <paramref name="x"/> (<c>N, C, H, W</c>, best with channels_last strides) with symmetric
    /// zero <paramref name="padding"/>; the result has channels_last strides. With <paramref name="accumulate"/> of the
    /// output's shape and dtype, the result is added into it (oneDNN's sum post-op) and <paramref name="accumulate"/>
    /// itself is returned; otherwise it is left alone and the convolution returned, through oneDNN post-op
    /// <paramref name="postOp"/> (<c>swish</c>) when given. The kernel is packed on the first call at each team size, for
    /// that call's input size.
    /// </summary>
    public Tensor Run(Tensor x, long[] padding, Tensor? accumulate = null, string? postOp = null)
    {
        var (method, inPlace) = postOp switch
        {
            null => ("conv2d", (Func<Tensor, Tensor>?)null),
            "swish" => ("conv2d_swish", t => t.silu_()),
            _ => throw new ArgumentException($"no oneDNN post-op '{postOp}' in the operator module", nameof(postOp)),
        };
        if (x.dtype != ScalarType.Float32 || x.device_type != DeviceType.CPU)
        {
            var y = TorchOps.Conv(x, kernel, bias, strides.Select(s => (long)s).ToArray(), padding, dilation.Select(d => (long)d).ToArray(), groups);
            return inPlace is null ? y : inPlace(y);
        }
        var shape = x.Sizes();
        var weight = Packed(shape, padding);
        if (accumulate is not null && accumulate.dtype == ScalarType.Float32 && accumulate.Sizes().SequenceEqual(OutputShape(shape, padding)))
        {
            Module.Value!.invoke("conv2d_add", accumulate, x, weight, bias, (int)padding[0], (int)padding[1],
                strides[0], strides[1], dilation[0], dilation[1], groups);
            return accumulate;
        }
        return (Tensor)Module.Value!.invoke(method, x, weight, bias, (int)padding[0], (int)padding[1],
            strides[0], strides[1], dilation[0], dilation[1], groups);
    }

    /// <summary>The convolution's output shape for an input of <paramref name="input"/> (<c>N, C, H, W</c>) and <paramref name="padding"/>.</summary>
    long[] OutputShape(long[] input, long[] padding) =>
    [
        input[0], kernelShape[0],
        .. Enumerable.Range(0, 2).Select(i => (input[i + 2] + 2 * padding[i] - dilation[i] * (kernelShape[i + 2] - 1) - 1) / strides[i] + 1),
    ];

    /// <summary>
    /// How many team sizes get a packing of their own; calls at further sizes use the nearest one's. A packing costs
    /// the kernel's size again, and a mismatched one costs a reorder per call (no worse than <c>F.conv2d</c>'s).
    /// </summary>
    const int MaxPackings = 4;

    /// <summary>
    /// The kernel packed for the calling thread's team size. oneDNN chooses its implementation, and with it the blocked
    /// weight layout it expects, by the thread count: ResNet50's 1x1 convolutions want <c>Acdb64a</c> on 2 threads and
    /// <c>Acdb48a</c> on 1. Given the other layout, it reorders the kernel on every call: packed on 2 threads and run on
    /// 1, ResNet50 at batch 1 took 169 ms against 76 ms packed on 1 (<c>ONEDNN_VERBOSE=1</c> showed 8 reorders per call,
    /// up to 23 ms each). The values do not depend on the packing, only on the team size that runs the call.
    /// </summary>
    Tensor Packed(long[] inputShape, long[] padding)
    {
        int threads = get_num_threads();
        var known = Volatile.Read(ref packings);
        foreach (var (size, weight) in known)
            if (size == threads) return weight;
        lock (gate)
        {
            known = packings;
            foreach (var (size, weight) in known)
                if (size == threads) return weight;
            if (known.Length >= MaxPackings) return known.MinBy(p => Math.Abs(p.Threads - threads)).Weight;
            // An ordinary tensor outside every dispose scope, whatever mode the first call runs in.
            using var normal = inference_mode(false);
            var packed = ((Tensor)Module.Value!.invoke("pack2d", kernel, (int)padding[0], (int)padding[1], strides[0], strides[1],
                dilation[0], dilation[1], groups, 1, (int)inputShape[1], (int)inputShape[2], (int)inputShape[3])).DetachFromDisposeScope();
            Volatile.Write(ref packings, [.. known, (threads, packed)]);
            return packed;
        }
    }

    /// <summary>Releases the packed kernels (the dense kernel and bias belong to the caller).</summary>
    public void Dispose()
    {
        lock (gate)
        {
            foreach (var (_, weight) in packings) weight.Dispose();
            packings = [];
        }
    }

    /// <summary>The TorchScript source of <see cref="Module"/>: its class and one method per operator.</summary>
    const string Source = """
        class Ops(Module):
          __parameters__ = []
          __buffers__ = []
          training : bool
          def forward(self: __torch__.Ops, x: Tensor) -> Tensor:
            return x
          def pack2d(self: __torch__.Ops, w: Tensor, p0: int, p1: int, s0: int, s1: int, d0: int, d1: int, g: int, n: int, c: int, h: int, wd: int) -> Tensor:
            return ops.mkldnn._reorder_convolution_weight(w, [p0, p1], [s0, s1], [d0, d1], g, [n, c, h, wd])
          def conv2d(self: __torch__.Ops, x: Tensor, w: Tensor, b: Optional[Tensor], p0: int, p1: int, s0: int, s1: int, d0: int, d1: int, g: int) -> Tensor:
            return ops.mkldnn._convolution_pointwise(x, w, b, [p0, p1], [s0, s1], [d0, d1], g, "none", annotate(List[Optional[number]], []), None)
          def conv2d_swish(self: __torch__.Ops, x: Tensor, w: Tensor, b: Optional[Tensor], p0: int, p1: int, s0: int, s1: int, d0: int, d1: int, g: int) -> Tensor:
            return ops.mkldnn._convolution_pointwise(x, w, b, [p0, p1], [s0, s1], [d0, d1], g, "swish", annotate(List[Optional[number]], []), None)
          def conv2d_add(self: __torch__.Ops, other: Tensor, x: Tensor, w: Tensor, b: Optional[Tensor], p0: int, p1: int, s0: int, s1: int, d0: int, d1: int, g: int) -> Tensor:
            return ops.mkldnn._convolution_pointwise_(other, x, w, b, [p0, p1], [s0, s1], [d0, d1], g, "add", None, None, annotate(List[Optional[number]], []), None)

        """;

    /// <summary>Loads the operator module, or null (with the reason on the trace listener) where libtorch lacks oneDNN.</summary>
    static jit.ScriptModule? Load()
    {
        try
        {
            var module = jit.load(Archive());
            module.eval();
            return module;
        }
        catch (Exception e) when (e is ExternalException or InvalidOperationException or NotImplementedException)
        {
            System.Diagnostics.Trace.WriteLine($"KerasPort: oneDNN convolution operators unavailable, using F.conv2d: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// The module as <c>torch.jit.save</c> lays it out (caffe2/serialize/inline_container.cc): a zip of stored entries
    /// under one folder holding the file format version (3, the oldest with this layout), the pickled (protocol 2)
    /// module object <c>__torch__.Ops</c> with its one attribute <c>training = False</c>, an empty constants tuple, and
    /// the class's source under <c>code/</c>.
    /// </summary>
    static byte[] Archive()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, byte[] data)
            {
                using var entry = zip.CreateEntry("ops/" + name, CompressionLevel.NoCompression).Open();
                entry.Write(data);
            }
            Add("version", "3\n"u8.ToArray());
            Add("data.pkl", [
                0x80, 2,                                      // PROTO 2
                (byte)'c', .. "__torch__\nOps\n"u8,           // GLOBAL __torch__.Ops
                (byte)')', 0x81,                              // EMPTY_TUPLE, NEWOBJ
                (byte)'}', (byte)'(',                         // EMPTY_DICT, MARK
                (byte)'X', 8, 0, 0, 0, .. "training"u8,       // BINUNICODE "training"
                0x89, (byte)'u',                              // NEWFALSE, SETITEMS
                (byte)'b', (byte)'.',                         // BUILD, STOP
            ]);
            Add("constants.pkl", [0x80, 2, (byte)')', (byte)'.']);
            Add("code/__torch__.py", Encoding.ASCII.GetBytes(Source));
        }
        return buffer.ToArray();
    }
}
