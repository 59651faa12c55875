using System.Collections.Concurrent;
using System.Reflection;
using TorchSharp;

namespace KerasPort.Runtime;

/// <summary>
/// Scalars that stay alive while libtorch reads them. TorchSharp 0.107 hands libtorch only a <see cref="Scalar"/>'s
/// native handle, so a temporary one (an implicit <c>x * 0.5</c>, or the <c>alpha = 1</c> that
/// <c>Tensor.add(Tensor)</c> and the <c>+</c> operator make) can be finalized by a garbage collection on another
/// thread while the native call still reads it. Under concurrent inference that use-after-free fails with
/// "Exception raised from toFloat" or crashes (Tests/Hardening/ScalarLifetimeTests reproduces it). Runtime code
/// therefore passes every scalar through <see cref="Of(double)"/> / <see cref="Of(long)"/>, whose instances are
/// cached for the life of the process, and adds tensors with <see cref="Plus(Tensor, Tensor)"/>. The cache holds one
/// entry per distinct constant (config values, shape-derived counts), so it stays small.
/// </summary>
internal static class KeptScalars
{
    static readonly ConcurrentDictionary<long, Scalar> Floats = new();
    static readonly ConcurrentDictionary<long, Scalar> Integers = new();

    /// <summary>The floating-point scalar <paramref name="value"/>, kept alive for the process (keyed by its bits, so -0.0 and NaN stay exact).</summary>
    public static Scalar Of(double value) => Floats.GetOrAdd(BitConverter.DoubleToInt64Bits(value), bits => BitConverter.Int64BitsToDouble(bits).ToScalar());

    /// <summary>The integer scalar <paramref name="value"/>, kept alive for the process; integer tensors stay integer with it.</summary>
    public static Scalar Of(long value) => Integers.GetOrAdd(value, v => v.ToScalar());

    /// <summary><c>a + b</c> for tensors, with a kept <c>alpha = 1</c>.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, Of(1));

    /// <summary><c>a + b</c> for a tensor and a constant.</summary>
    public static Tensor Plus(this Tensor a, double b) => a.add(Of(b), Of(1));

    /// <summary><c>a - b</c> for a tensor and a constant.</summary>
    public static Tensor Minus(this Tensor a, double b) => a.sub(Of(b));

    /// <summary><c>1 - x</c>, computed as <c>-x + 1</c> (the same float result).</summary>
    public static Tensor OneMinus(this Tensor x) => x.neg().add(Of(1), Of(1));

    /// <summary>
    /// <c>a - x</c> for a floating-point constant and a tensor, computed as <c>-x + a</c> like TorchSharp's
    /// <c>double - Tensor</c> operator (a double scalar, unlike the integer 1 of <see cref="OneMinus"/>).
    /// </summary>
    public static Tensor Minus(double a, Tensor x) => x.neg().add(Of(a), Of(1));

    /// <summary><c>a += b</c> in place, with a kept <c>alpha = 1</c> (what <c>Tensor.add_(Tensor)</c> passes as a temporary).</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, Of(1));

    /// <summary><c>a += b</c> in place for a scalar the caller keeps alive (a constant from <see cref="Of(long)"/> or a <c>using</c> one), with a kept <c>alpha = 1</c>.</summary>
    public static Tensor PlusInPlace(this Tensor a, Scalar b) => a.add_(b, Of(1));

    /// <summary><c>x * x</c> as <c>x.pow(2)</c>, which is what <c>Tensor.square()</c> computes with a temporary 2.</summary>
    public static Tensor Squared(this Tensor x) => x.pow(Of(2));

    /// <summary>torch <c>elu(x, alpha)</c> (scale and input scale 1), as <c>F.elu</c> computes it with temporaries.</summary>
    public static Tensor Elu(this Tensor x, double alpha) => x.elu(Of(alpha), Of(1.0), Of(1.0));

    /// <summary>torch <c>leaky_relu(x, negativeSlope)</c>.</summary>
    public static Tensor LeakyRelu(this Tensor x, double negativeSlope) => x.leaky_relu(Of(negativeSlope));

    /// <summary>torch <c>softsign</c>, <c>x / (|x| + 1)</c>, the operations of <c>F.softsign</c>.</summary>
    public static Tensor Softsign(this Tensor x) => x / x.abs().Plus(1);

    /// <summary>torch <c>softplus(x)</c> with beta 1 and threshold 20.</summary>
    public static Tensor Softplus(this Tensor x) => SoftplusKernel.Call(x, Of(1.0), Of(20.0));

    /// <summary>
    /// libtorch's softplus with caller-kept scalars. In TorchSharp 0.107 every public softplus (<c>F.softplus</c>,
    /// <c>Tensor.softplus</c>, and <c>nn.Softplus</c>, whose <c>forward</c> calls <c>F.softplus</c>) turns beta and
    /// threshold into temporary scalars before the private <c>Tensor.softplus1(Scalar, Scalar)</c> hands them to
    /// libtorch, so that method is bound once here. In its own class so that a TorchSharp without it fails only softplus.
    /// </summary>
    static class SoftplusKernel
    {
        public static readonly Func<Tensor, Scalar, Scalar, Tensor> Call =
            typeof(Tensor).GetMethod("softplus1", BindingFlags.Instance | BindingFlags.NonPublic, [typeof(Scalar), typeof(Scalar)])
                ?.CreateDelegate<Func<Tensor, Scalar, Scalar, Tensor>>()
            ?? throw new MissingMethodException(typeof(Tensor).FullName, "softplus1(Scalar, Scalar) (TorchSharp changed: revisit KeptScalars.Softplus)");
    }
}
