namespace KerasPort.Specs.Core;

/// <summary>
/// Keras <c>EinsumDense</c> (keras/src/layers/core/einsum_dense.py): <c>activation(einsum(equation, x, kernel) + bias)</c>,
/// the bias over the output letters of <c>bias_axes</c>; quantized or LoRA as <see cref="Options"/> says.
/// </summary>
/// <param name="Equation">The einsum equation <c>input,kernel-&gt;output</c>.</param>
/// <param name="BiasAxes">The output letters the bias spans; empty for no bias.</param>
/// <param name="OutputShape">The output's axes after the first (the batch axis); -1 marks a size taken from the input.</param>
/// <param name="Activation">The activation's name.</param>
/// <param name="Options">Quantization and LoRA.</param>
public sealed record EinsumDenseSpec(string Equation, string BiasAxes, int[] OutputShape, string Activation, KernelOptions Options)
    : LayerSpec, ILayerSpec<EinsumDenseSpec>, IKernelSpec
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["EinsumDense"];

    /// <inheritdoc />
    public static EinsumDenseSpec Read(LayerReader layer)
    {
        var equation = layer.String("equation") ?? throw layer.ConfigError("equation", "missing");
        if (equation.Replace(" ", "").Split("->") is not [var operands, _] || operands.Split(',').Length != 2)
            throw layer.ConfigError("equation", $"'{equation}' is not of the form 'input,kernel->output'");
        return new(equation, layer.String("bias_axes") ?? "", layer.Ints("output_shape") ?? [], layer.ActivationName(), KernelOptions.Read(layer));
    }

    /// <summary>Whether the layer adds a bias.</summary>
    public bool UseBias => BiasAxes.Length > 0;

    /// <summary>The equation's input letters.</summary>
    public string InputLetters => Sides[0].Split(',')[0];

    /// <summary>The equation's kernel letters.</summary>
    public string KernelLetters => Sides[0].Split(',')[1];

    /// <summary>The equation's output letters.</summary>
    public string OutputLetters => Sides[1];

    string[] Sides => Equation.Replace(" ", "").Split("->");

    /// <summary>
    /// The size of <paramref name="letter"/>: the input's if the input has it (<paramref name="inputDim"/> gives input
    /// axis sizes), else from <see cref="OutputShape"/>, which lists the output axes after the first
    /// (einsum_dense.py <c>_analyze_split_string</c>); -1 when unknown.
    /// </summary>
    public long Size(char letter, Func<int, long> inputDim) => InputLetters.IndexOf(letter) is var i and >= 0 ? inputDim(i)
        : OutputLetters.IndexOf(letter) is var o and >= 1 && o - 1 < OutputShape.Length ? OutputShape[o - 1] : -1;

    /// <summary>The indices of the input axes the equation contracts (input letters missing from the output).</summary>
    public int[] ReducedInputAxes => InputLetters.Select((l, i) => (l, i)).Where(p => !OutputLetters.Contains(p.l)).Select(p => p.i).ToArray();

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles =>
        Options.Roles("EinsumDense", UseBias, UseBias ? [new("kernel"), new("bias")] : [new("kernel")]);
}
