namespace KerasPort.Runtime;

/// <summary>A tensor's sizes, read the cheap way.</summary>
internal static class TensorSizes
{
    /// <summary>
    /// The sizes of <paramref name="tensor"/>, as TorchSharp's <c>shape</c> gives them, read one axis at a time:
    /// <c>shape</c> has libtorch call back into .NET to allocate the array, which took 0.98 µs (as long as a small
    /// operator), against 0.12 µs for a rank-4 tensor this way (1,000,000 reads each, kerasport's bench machine).
    /// </summary>
    public static long[] Sizes(this Tensor tensor)
    {
        var sizes = new long[tensor.dim()];
        for (int axis = 0; axis < sizes.Length; axis++) sizes[axis] = tensor.size(axis);
        return sizes;
    }
}
