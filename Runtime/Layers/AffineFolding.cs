namespace KerasPort.Runtime.Layers;

/// <summary>
/// The arithmetic of folding a per-channel <c>y * scale + shift</c> into a linear layer (<see cref="IFoldableLinear"/>):
/// <c>(x·K + b) * scale + shift = x·(K * scale) + (b * scale + shift)</c>. The folded values differ from the two-step
/// computation only by rounding (checked against every golden case by <c>kerasport verify</c>, which compares
/// <c>Predict</c>'s outputs as well as every layer's).
/// </summary>
internal static class AffineFolding
{
    /// <summary>The folded bias <c>b * scale + shift</c> (<c>shift</c> where the layer has no bias), owned by <paramref name="owned"/>.</summary>
    public static Tensor Bias(Tensor? bias, Tensor scale, Tensor shift, ICollection<IDisposable> owned)
    {
        using var scope = NewDisposeScope();
        return Keep(bias is null ? shift.clone() : (bias * scale).Plus(shift), owned);
    }

    /// <summary>Takes <paramref name="tensor"/> out of every dispose scope into <paramref name="owned"/> (read-only weights).</summary>
    public static Tensor Keep(Tensor tensor, ICollection<IDisposable> owned)
    {
        var kept = tensor.DetachFromDisposeScope();
        kept.requires_grad_(false);
        owned.Add(kept);
        return kept;
    }
}
