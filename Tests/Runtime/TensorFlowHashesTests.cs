using System.Text;
using KerasPort.Runtime.Layers.Preprocessing;

namespace KerasPort.Tests.Runtime;

/// <summary>
/// The hashes behind Hashing, HashedCrossing and the lookup layers' OOV buckets against published test vectors, one
/// per code path of each function (the Keras docstring examples in <see cref="TextLayersTests"/> only reach short inputs).
/// </summary>
public sealed class TensorFlowHashesTests
{
    /// <summary>
    /// FarmHash Fingerprint64 (farmhashna::Hash64) vectors from dgryski/go-farm farmhash_test.go, column oh64na
    /// (TestFingerprint64): lengths 0, 1-3, 4-7, 8-16, 17-32, 33-64 and over 64 (one and several 64-byte blocks).
    /// </summary>
    [Theory]
    [InlineData("", 0x9ae16a3b2f90404fUL)]
    [InlineData("a", 0xb3454265b6df75e3UL)]
    [InlineData("abc", 0x24a5b3a074e7f369UL)]
    [InlineData("abcd", 0x1a5502de4a1f8101UL)]
    [InlineData("abcdefgh", 0xfee9d22990c82909UL)]
    [InlineData("0123456789'01234", 0x4283d4ef43627f64UL)]
    [InlineData("0123456789=012345", 0x46a7416ed4861e3bUL)]
    [InlineData("C is as portable as Stonehedge!!", 0xb944f8a16261e414UL)]
    [InlineData("Discard medicine more than two years old.", 0xe8f89ab6df9bdd25UL)]
    [InlineData("How can you write a big system without C++?  -Paul Glick", 0x5a0a6efd52e84e2aUL)]
    [InlineData("For every action there is an equal and opposite government program.", 0x55182f8859eca4ceUL)]
    [InlineData("The fugacity of a constituent in a mixture of gases at a given temperature is proportional to its mole fraction.  Lewis-Randall Rule", 0x98eff6958c5e91aUL)]
    public void Fingerprint64MatchesFarmHash(string text, ulong expected) =>
        Assert.Equal(expected, TensorFlowHashes.Fingerprint64(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// SipHash-2-4 reference vectors (veorq/SipHash vectors.h, the paper's appendix): key bytes 00..0f, message
    /// bytes 00..len-1; the reference prints each digest as little-endian bytes, read here as the uint64.
    /// </summary>
    [Theory]
    [InlineData(0, 0x726fdb47dd0e0e31UL)]
    [InlineData(1, 0x74f839c593dc67fdUL)]
    [InlineData(7, 0xab0200f58b01d137UL)]
    [InlineData(8, 0x93f5f5799a932462UL)]
    [InlineData(12, 0x751e8fbc860ee5fbUL)]
    [InlineData(15, 0xa129ca6149be45e5UL)]
    public void SipHash24MatchesTheReferenceVectors(int length, ulong expected)
    {
        var message = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        Assert.Equal(expected, TensorFlowHashes.SipHash24(0x0706050403020100UL, 0x0f0e0d0c0b0a0908UL, message));
    }
}
