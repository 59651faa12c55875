using TorchSharp;

namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>
/// torch's fused one-layer LSTM/GRU kernel (<c>torch.nn.LSTM</c> / <c>torch.nn.GRU</c>, batch_first) standing in
/// for <see cref="RecurrentRunner"/>'s step loop, which issues a dozen small torch calls per step.
/// </summary>
/// <remarks>
/// <para>The decision whether the fused kernel computes exactly what Keras computes lives here, in two parts:</para>
/// <para>From the config (<see cref="ForLstm"/>, <see cref="ForGru"/>): activation <c>tanh</c> and recurrent
/// activation <c>sigmoid</c> (the logistic function in every generation, unlike <c>hard_sigmoid</c>), which
/// torch's kernels hard-wire; GRU only with <c>reset_after=True</c>, where torch, like Keras, applies the reset
/// gate to <c>h @ U_h + b_rec_h</c> (torch.nn.GRU's <c>n = tanh(W_in x + b_in + r * (W_hn h + b_hn))</c>).
/// A missing bias is a zero bias. <c>stateful</c> does not matter: both paths start every call from the given
/// or zero initial states.</para>
/// <para>From the call (<see cref="Accepts"/>): no time-step mask (the kernel has no masking; Keras's mask
/// semantics stay with the loop), float32 sequence and states on the weights' device.</para>
/// <para>Weights: Keras's kernel <c>(in, G·u)</c> is torch's <c>weight_ih_l0</c> <c>(G·u, in)</c> transposed, the
/// recurrent kernel likewise <c>weight_hh_l0</c>. LSTM gates i, f, c, o are torch's i, f, g, o; Keras's single
/// bias goes to <c>bias_ih_l0</c> and <c>bias_hh_l0</c> is zero. GRU gates z, r, h reorder to torch's r, z, n,
/// input bias to <c>bias_ih_l0</c>, recurrent bias to <c>bias_hh_l0</c>.</para>
/// <para>The native module's forward only reads its parameters (libtorch <c>torch::lstm</c>/<c>torch::gru</c>
/// over its flat weights), so concurrent calls are safe.</para>
/// </remarks>
internal sealed class FusedRecurrence : IDisposable
{
    readonly nn.Module module;
    readonly Func<Tensor, Tensor[]?, (Tensor Output, Tensor[] States)> forward;
    readonly Device device;

    FusedRecurrence(nn.Module module, Func<Tensor, Tensor[]?, (Tensor, Tensor[])> forward, Tensor kernel, Tensor recurrent, Tensor inputBias, Tensor recurrentBias)
    {
        this.module = module;
        this.forward = forward;
        device = kernel.device;
        module.to(device);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Parameter("weight_ih_l0").copy_(kernel.t());
        Parameter("weight_hh_l0").copy_(recurrent.t());
        Parameter("bias_ih_l0").copy_(inputBias);
        Parameter("bias_hh_l0").copy_(recurrentBias);
        module.eval();
        foreach (var parameter in module.parameters()) parameter.requires_grad = false;
    }

    /// <summary>The module's parameter <paramref name="name"/>.</summary>
    Tensor Parameter(string name) =>
        module.get_parameter(name) ?? throw new InvalidOperationException($"torch's {module.GetType().Name} has no parameter '{name}'");

    /// <summary>
    /// True when the config's activations are the ones torch's kernels hard-wire, and the layer is not built for a
    /// training step: the module holds copies of the weights, so gradients would not reach the bound ones (Keras's torch
    /// backend also steps through time on the CPU).
    /// </summary>
    static bool StandardActivations(LayerContext context, CellSpec cell) => context.Bindings is null &&
        cell.Activation == "tanh" && cell.RecurrentActivation == "sigmoid";

    /// <summary>
    /// The fused LSTM for a cell with Keras's <paramref name="kernel"/> <c>(in, 4u)</c>,
    /// <paramref name="recurrent"/> <c>(u, 4u)</c> and <paramref name="bias"/>; null when the config rules it out.
    /// </summary>
    public static FusedRecurrence? ForLstm(LayerContext context, CellSpec cell, Tensor kernel, Tensor recurrent, Tensor? bias)
    {
        if (!StandardActivations(context, cell)) return null;
        long units = recurrent.Sizes()[0];
        var lstm = nn.LSTM(kernel.Sizes()[0], units, batchFirst: true);
        return new FusedRecurrence(lstm, (x, states) =>
        {
            var (output, h, c) = lstm.forward(x, states is null ? null : (states[0], states[1]));
            return (output, [h[0], c[0]]);
        }, kernel, recurrent, bias ?? zeros(4 * units, device: kernel.device), zeros(4 * units, device: kernel.device));
    }

    /// <summary>
    /// The fused GRU for a cell with Keras's <paramref name="kernel"/> <c>(in, 3u)</c>, <paramref name="recurrent"/>
    /// <c>(u, 3u)</c> and biases (gates z, r, h); null when the config rules it out.
    /// </summary>
    public static FusedRecurrence? ForGru(LayerContext context, GRUCellSpec cell, Tensor kernel, Tensor recurrent, Tensor? inputBias, Tensor? recurrentBias)
    {
        if (!cell.ResetAfter || !StandardActivations(context, cell)) return null;
        long units = recurrent.Sizes()[0];
        // Keras z, r, h -> torch r, z, n along the gate axis (the last one in Keras's layout).
        Tensor Reorder(Tensor? t) => t is null
            ? zeros(3 * units, device: kernel.device)
            : cat([t.narrow(-1, units, units), t.narrow(-1, 0, units), t.narrow(-1, 2 * units, units)], -1);
        var gru = nn.GRU(kernel.Sizes()[0], units, batchFirst: true);
        return new FusedRecurrence(gru, (x, states) =>
        {
            var (output, h) = gru.forward(x, states?[0]);
            return (output, [h[0]]);
        }, Reorder(kernel), Reorder(recurrent), Reorder(inputBias), Reorder(recurrentBias));
    }

    /// <summary>True when the call can go through the fused kernel (see the remarks).</summary>
    public bool Accepts(Tensor sequences, IReadOnlyList<Tensor> initialStates, Tensor? mask) =>
        mask is null && OnDevice(sequences) && initialStates.All(OnDevice);

    /// <summary>A float32 tensor on the weights' device (<see cref="Device"/> compares by reference, so by type and index).</summary>
    bool OnDevice(Tensor t) => t.dtype == ScalarType.Float32 && t.device_type == device.type && t.device_index == device.index;

    /// <summary>
    /// Runs the kernel over <paramref name="sequences"/> <c>(batch, time, in)</c>, already in processing order,
    /// from <paramref name="initialStates"/> (<c>(batch, u)</c> each) or zeros when none are given.
    /// </summary>
    public (Tensor Output, Tensor[] States) Run(Tensor sequences, IReadOnlyList<Tensor> initialStates, bool returnSequences)
    {
        // torch wants (layers, batch, u) states.
        var states = initialStates.Count > 0 ? initialStates.Select(s => s.unsqueeze(0)).ToArray() : null;
        var (output, final) = forward(sequences.contiguous(), states);
        return (returnSequences ? output : final[0], final);
    }

    /// <inheritdoc />
    public void Dispose() => module.Dispose();
}
