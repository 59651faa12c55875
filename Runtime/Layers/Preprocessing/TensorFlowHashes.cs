using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>
/// The string hashes TensorFlow's bucketing ops use, bit for bit, so that <c>Hashing</c>, <c>HashedCrossing</c> and the
/// hashed OOV buckets of the lookup layers pick TensorFlow's bucket for every input:
/// <list type="bullet">
/// <item><see cref="Fingerprint64"/>: <c>tf.strings.to_hash_bucket_fast</c> is <c>Fingerprint64(s) % buckets</c>
/// (tensorflow/core/kernels/string_to_hash_bucket_fast_op.h), and TensorFlow's <c>Fingerprint64</c> is FarmHash's
/// <c>Fingerprint64</c>, i.e. <c>farmhashna::Hash64</c> (tensorflow/core/platform/default/fingerprint.h; google/farmhash
/// src/farmhash.cc).</item>
/// <item><see cref="SipHash24"/>: <c>tf.strings.to_hash_bucket_strong</c> is <c>StrongKeyedHash(key, s) % buckets</c>,
/// highwayhash's SipHash-2-4 with the two-word key (tensorflow/core/platform/default/strong_hash.h).</item>
/// <item><see cref="FingerprintCat64"/>: how <c>tf.sparse.cross_hashed</c> chains the features of a cross
/// (tensorflow/core/platform/fingerprint.h; tensorflow/core/kernels/sparse_cross_op.cc <c>HashCrosser</c>).</item>
/// </list>
/// </summary>
internal static class TensorFlowHashes
{
    const ulong K0 = 0xc3a5c85c97cb3127UL;
    const ulong K1 = 0xb492b66fbe98f273UL;
    const ulong K2 = 0x9ae16a3b2f90404fUL;

    /// <summary>The bytes TensorFlow hashes for a string: its UTF-8 encoding (an integer is hashed as its decimal text).</summary>
    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>TensorFlow's (FarmHash's) <c>Fingerprint64</c>.</summary>
    public static ulong Fingerprint64(ReadOnlySpan<byte> s)
    {
        int len = s.Length;
        if (len <= 16) return HashLen0To16(s);
        if (len <= 32) return HashLen17To32(s);
        if (len <= 64) return HashLen33To64(s);
        return HashLong(s);
    }

    /// <summary>TensorFlow's <c>FingerprintCat64</c>: combines two fingerprints (not commutative).</summary>
    public static ulong FingerprintCat64(ulong fp1, ulong fp2)
    {
        const ulong kMul = 0xc6a4a7935bd1e995UL;
        ulong result = fp1 ^ kMul;
        result ^= ShiftMix(fp2 * kMul) * kMul;
        result *= kMul;
        result = ShiftMix(result) * kMul;
        return ShiftMix(result);
    }

    /// <summary>SipHash-2-4 of <paramref name="s"/> under the key <c>(k0, k1)</c> (Aumasson and Bernstein, 2012).</summary>
    public static ulong SipHash24(ulong k0, ulong k1, ReadOnlySpan<byte> s)
    {
        ulong v0 = 0x736f6d6570736575UL ^ k0, v1 = 0x646f72616e646f6dUL ^ k1;
        ulong v2 = 0x6c7967656e657261UL ^ k0, v3 = 0x7465646279746573UL ^ k1;
        int whole = s.Length & ~7;
        for (int i = 0; i < whole; i += 8)
        {
            ulong m = BinaryPrimitives.ReadUInt64LittleEndian(s[i..]);
            v3 ^= m;
            SipRound(ref v0, ref v1, ref v2, ref v3);
            SipRound(ref v0, ref v1, ref v2, ref v3);
            v0 ^= m;
        }
        ulong last = (ulong)s.Length << 56;
        for (int i = whole; i < s.Length; i++) last |= (ulong)s[i] << (8 * (i - whole));
        v3 ^= last;
        SipRound(ref v0, ref v1, ref v2, ref v3);
        SipRound(ref v0, ref v1, ref v2, ref v3);
        v0 ^= last;
        v2 ^= 0xff;
        for (int r = 0; r < 4; r++) SipRound(ref v0, ref v1, ref v2, ref v3);
        return v0 ^ v1 ^ v2 ^ v3;
    }

    static void SipRound(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
    {
        v0 += v1; v1 = BitOperations.RotateLeft(v1, 13); v1 ^= v0; v0 = BitOperations.RotateLeft(v0, 32);
        v2 += v3; v3 = BitOperations.RotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = BitOperations.RotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = BitOperations.RotateLeft(v1, 17); v1 ^= v2; v2 = BitOperations.RotateLeft(v2, 32);
    }

    static ulong Fetch64(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt64LittleEndian(s[at..]);

    static ulong Fetch32(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt32LittleEndian(s[at..]);

    static ulong Rotate(ulong value, int shift) => BitOperations.RotateRight(value, shift);

    static ulong ShiftMix(ulong value) => value ^ (value >> 47);

    static ulong HashLen16(ulong u, ulong v, ulong mul)
    {
        ulong a = (u ^ v) * mul;
        a ^= a >> 47;
        ulong b = (v ^ a) * mul;
        b ^= b >> 47;
        return b * mul;
    }

    static ulong HashLen0To16(ReadOnlySpan<byte> s)
    {
        int len = s.Length;
        if (len >= 8)
        {
            ulong mul = K2 + (ulong)len * 2;
            ulong a = Fetch64(s, 0) + K2;
            ulong b = Fetch64(s, len - 8);
            ulong c = Rotate(b, 37) * mul + a;
            ulong d = (Rotate(a, 25) + b) * mul;
            return HashLen16(c, d, mul);
        }
        if (len >= 4)
        {
            ulong mul = K2 + (ulong)len * 2;
            ulong a = Fetch32(s, 0);
            return HashLen16((ulong)len + (a << 3), Fetch32(s, len - 4), mul);
        }
        if (len > 0)
        {
            uint y = s[0] + ((uint)s[len >> 1] << 8);
            uint z = (uint)len + ((uint)s[len - 1] << 2);
            return ShiftMix(y * K2 ^ z * K0) * K2;
        }
        return K2;
    }

    static ulong HashLen17To32(ReadOnlySpan<byte> s)
    {
        int len = s.Length;
        ulong mul = K2 + (ulong)len * 2;
        ulong a = Fetch64(s, 0) * K1;
        ulong b = Fetch64(s, 8);
        ulong c = Fetch64(s, len - 8) * mul;
        ulong d = Fetch64(s, len - 16) * K2;
        return HashLen16(Rotate(a + b, 43) + Rotate(c, 30) + d, a + Rotate(b + K2, 18) + c, mul);
    }

    static ulong HashLen33To64(ReadOnlySpan<byte> s)
    {
        int len = s.Length;
        ulong mul = K2 + (ulong)len * 2;
        ulong a = Fetch64(s, 0) * K2;
        ulong b = Fetch64(s, 8);
        ulong c = Fetch64(s, len - 8) * mul;
        ulong d = Fetch64(s, len - 16) * K2;
        ulong y = Rotate(a + b, 43) + Rotate(c, 30) + d;
        ulong z = HashLen16(y, a + Rotate(b + K2, 18) + c, mul);
        ulong e = Fetch64(s, 16) * mul;
        ulong f = Fetch64(s, 24);
        ulong g = (y + Fetch64(s, len - 32)) * mul;
        ulong h = (z + Fetch64(s, len - 24)) * mul;
        return HashLen16(Rotate(e + f, 43) + Rotate(g, 30) + h, e + Rotate(f + a, 18) + g, mul);
    }

    static (ulong, ulong) WeakHashLen32WithSeeds(ReadOnlySpan<byte> s, int at, ulong a, ulong b)
    {
        ulong w = Fetch64(s, at), x = Fetch64(s, at + 8), y = Fetch64(s, at + 16), z = Fetch64(s, at + 24);
        a += w;
        b = Rotate(b + a + z, 21);
        ulong c = a;
        a += x;
        a += y;
        b += Rotate(a, 44);
        return (a + z, b + c);
    }

    /// <summary>farmhashna::Hash64 for more than 64 bytes: 64-byte blocks, then the last 64 bytes.</summary>
    static ulong HashLong(ReadOnlySpan<byte> s)
    {
        const ulong seed = 81;
        int len = s.Length;
        ulong x = seed;
        ulong y = unchecked(seed * K1 + 113);
        ulong z = ShiftMix(y * K2 + 113) * K2;
        (ulong First, ulong Second) v = (0, 0), w = (0, 0);
        x = x * K2 + Fetch64(s, 0);
        int end = (len - 1) / 64 * 64;
        int last64 = end + ((len - 1) & 63) - 63;
        int at = 0;
        do
        {
            x = Rotate(x + y + v.First + Fetch64(s, at + 8), 37) * K1;
            y = Rotate(y + v.Second + Fetch64(s, at + 48), 42) * K1;
            x ^= w.Second;
            y += v.First + Fetch64(s, at + 40);
            z = Rotate(z + w.First, 33) * K1;
            v = WeakHashLen32WithSeeds(s, at, v.Second * K1, x + w.First);
            w = WeakHashLen32WithSeeds(s, at + 32, z + w.Second, y + Fetch64(s, at + 16));
            (z, x) = (x, z);
            at += 64;
        }
        while (at != end);
        ulong mul = K1 + ((z & 0xff) << 1);
        at = last64;
        w.First += (ulong)((len - 1) & 63);
        v.First += w.First;
        w.First += v.First;
        x = Rotate(x + y + v.First + Fetch64(s, at + 8), 37) * mul;
        y = Rotate(y + v.Second + Fetch64(s, at + 48), 42) * mul;
        x ^= w.Second * 9;
        y += v.First * 9 + Fetch64(s, at + 40);
        z = Rotate(z + w.First, 33) * mul;
        v = WeakHashLen32WithSeeds(s, at, v.Second * mul, x + w.First);
        w = WeakHashLen32WithSeeds(s, at + 32, z + w.Second, y + Fetch64(s, at + 16));
        (z, x) = (x, z);
        return HashLen16(HashLen16(v.First, w.First, mul) + ShiftMix(y) * K0 + z, HashLen16(v.Second, w.Second, mul) + x, mul);
    }
}
