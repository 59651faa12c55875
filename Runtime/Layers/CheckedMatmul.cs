namespace KerasPort.Runtime.Layers;

/// <summary>
/// <c>matmul</c> with its shapes checked in C# first. TorchSharp 0.107's native <c>THSTensor_matmul</c> does not
/// catch libtorch's errors, so a shape mismatch there terminates the whole process instead of throwing
/// (checked: conv, cat, add, mul, mm, bmm, einsum and linear all throw catchable errors; matmul aborts).
/// </summary>
public static class CheckedMatmul
{
    /// <summary>numpy/torch <c>matmul</c> of <paramref name="a"/> and <paramref name="b"/>, or an <see cref="ArgumentException"/> naming both shapes.</summary>
    public static Tensor MatmulChecked(this Tensor a, Tensor b) => a.MatmulChecked(a.Sizes(), b, b.Sizes());

    /// <summary>
    /// <see cref="MatmulChecked(Tensor, Tensor)"/> with the operands' shapes already at hand, so they are not read
    /// from libtorch again.
    /// </summary>
    public static Tensor MatmulChecked(this Tensor a, long[] shapeA, Tensor b, long[] shapeB)
    {
        if (!Compatible(shapeA, shapeB))
            throw new ArgumentException($"matmul of shapes ({string.Join(", ", shapeA)}) and ({string.Join(", ", shapeB)}) is undefined");
        return a.matmul(b);
    }

    static bool Compatible(long[] a, long[] b)
    {
        if (a.Length == 0 || b.Length == 0) return false;
        long inner = b.Length == 1 ? b[0] : b[^2];
        if (a[^1] != inner) return false;
        // Leading (batch) axes broadcast from the right: equal, or one of them 1.
        var batchA = a.Length > 2 ? a[..^2] : [];
        var batchB = b.Length > 2 ? b[..^2] : [];
        for (int i = 1; i <= Math.Min(batchA.Length, batchB.Length); i++)
            if (batchA[^i] != batchB[^i] && batchA[^i] != 1 && batchB[^i] != 1) return false;
        return true;
    }
}
