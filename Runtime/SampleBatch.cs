namespace KerasPort.Runtime;

/// <summary>Stacks single samples into a batch and slices a batch back into samples, on plain arrays.</summary>
internal static class SampleBatch
{
    /// <summary>One array of shape <c>(samples.Count, *sample shape)</c>; every sample must share shape and dtype.</summary>
    public static NdArray Stack(IReadOnlyList<NdArray> samples, string inputName)
    {
        var first = samples[0];
        foreach (var sample in samples)
            if (sample.DType != first.DType || !sample.Shape.SequenceEqual(first.Shape))
                throw new ModelInputException($"input '{inputName}': samples in one batch must share shape and dtype, got {first.ShapeText} {first.DType} and {sample.ShapeText} {sample.DType}");
        var data = Array.CreateInstance(NdArray.ElementTypeOf(first.DType), first.Length * samples.Count);
        for (int s = 0; s < samples.Count; s++) Array.Copy(samples[s].Data, 0, data, s * first.Length, first.Length);
        return new NdArray(first.DType, [samples.Count, .. first.Shape], data);
    }

    /// <summary>Sample <paramref name="index"/> of <paramref name="batch"/>, without the batch dimension (a copy).</summary>
    public static NdArray Slice(NdArray batch, int index)
    {
        long length = batch.Length / batch.Shape[0];
        var data = Array.CreateInstance(batch.Data.GetType().GetElementType()!, length);
        Array.Copy(batch.Data, index * length, data, 0, length);
        return new NdArray(batch.DType, batch.Shape[1..], data);
    }
}
