namespace KerasPort.Runtime.Layers.KerasHub.Modeling;

/// <summary>
/// KerasHub <c>RotaryEmbedding</c> (keras_hub/src/layers/modeling/rotary_embedding.py, v0.31.1): rotary position
/// encoding of a tensor with a sequence and a feature axis. Call arguments: the input, <c>start_index</c> (the
/// position of the first element, for cached decoding) and <c>positions</c> (explicit positions, <c>(length,)</c> or
/// <c>(batch, length)</c>, which override <c>start_index</c>).
/// </summary>
/// <remarks>
/// KerasHub's attention layers apply RoPE inside their <c>call</c>, not as a graph node: they call
/// <see cref="Apply"/> (or <see cref="Rotate"/> with their own inverse frequencies, as <c>LlamaRotaryEmbedding</c>
/// computes them) directly. The arithmetic is Keras's on the torch backend, in float32, op for op, so that the
/// angles (position times inverse frequency) round as Keras's do; cos and sin are then cast to the input's dtype.
/// </remarks>
public sealed class RotaryEmbedding : KerasLayer
{
    readonly RotaryEmbeddingSpec spec;

    /// <summary>Builds the layer.</summary>
    public RotaryEmbedding(LayerContext context, RotaryEmbeddingSpec spec) : base(context) => this.spec = spec;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var positions = arguments.Kwargs.GetValueOrDefault("positions") as Tensor;
        return [Apply(arguments.Input, spec, StartIndex(arguments), positions)];
    }

    /// <summary>The call's <c>start_index</c> (keyword or second positional argument, a number or a scalar tensor), 0 by default.</summary>
    public static long StartIndex(CallArguments arguments) => arguments.Kwargs.GetValueOrDefault("start_index") switch
    {
        Tensor index => index.to_type(ScalarType.Int64).item<long>(),
        JsonValue index => index.GetValue<long>(),
        _ => arguments.Args.Count > 1 && arguments.Args[1] is JsonValue index ? index.GetValue<long>() : 0,
    };

    /// <summary>
    /// <paramref name="inputs"/> rotated as KerasHub's <c>RotaryEmbedding(spec)(inputs, start_index, positions)</c>:
    /// the positions are <c>startIndex, startIndex + 1, ...</c> along the sequence axis unless
    /// <paramref name="positions"/> gives them.
    /// </summary>
    public static Tensor Apply(Tensor inputs, RotaryEmbeddingSpec spec, long startIndex = 0, Tensor? positions = null)
    {
        var (_, featureAxis) = Axes(inputs, spec.SequenceAxis, spec.FeatureAxis);
        using var inverseFrequencies = InverseFrequencies(spec, inputs.size(featureAxis), inputs.device);
        bool yarn = spec.RopeType == RotaryEmbeddingSpec.Yarn;
        // rotary_embedding.py _compute_cos_sin_embedding: YaRN scales cos and sin by 0.1 ln(s) + 1, and with truncate
        // caps the positions at the original context length.
        double amplitude = yarn ? 0.1 * Math.Log(spec.ScalingFactor) + 1 : 1;
        double? maxPosition = yarn && spec.Truncate ? spec.OriginalMaxPositionEmbeddings : null;
        return Rotate(inputs, inverseFrequencies, startIndex, positions, spec.SequenceAxis, spec.FeatureAxis, amplitude, maxPosition);
    }

    /// <summary>
    /// The rotation itself (rotary_embedding.py <c>call</c>, <c>_compute_cos_sin_embedding</c>,
    /// <c>_apply_rotary_pos_emb</c>): angles <c>position * inverseFrequencies[i]</c> (float32, <c>rotaryDim / 2</c>
    /// of them), repeated for both halves of the feature axis; the output is <c>x * cos + concat(-x2, x1) * sin</c>
    /// where <c>x1, x2</c> are the halves, with cos and sin times <paramref name="amplitude"/>.
    /// </summary>
    public static Tensor Rotate(Tensor inputs, Tensor inverseFrequencies, long startIndex = 0, Tensor? positions = null,
        int sequenceAxis = 1, int featureAxis = -1, double amplitude = 1, double? maxPosition = null)
    {
        var (sequence, feature) = Axes(inputs, sequenceAxis, featureAxis);
        using var scope = NewDisposeScope();
        var x = inputs.movedim([feature, sequence], [-1, 1]);
        Tensor angles;
        if (positions is null)
            angles = Range(0, x.size(1), 1, x.device).add(Of(startIndex), Of(1)).unsqueeze(0);
        else
            angles = positions.dim() == 1 ? positions.to_type(ScalarType.Float32).unsqueeze(0) : positions.to_type(ScalarType.Float32);
        if (maxPosition is { } cap) angles = angles.clamp_max(Of(cap));
        // einsum("bi,j->bij", positions, inverse_freq): one product per element, as here.
        angles = angles.unsqueeze(-1) * inverseFrequencies.to(ScalarType.Float32, x.device);
        var embedding = cat([angles, angles], -1);
        for (long axis = 2; axis < x.dim() - 1; axis++) embedding = embedding.unsqueeze(2);
        var cos = embedding.cos().to_type(x.dtype);
        var sin = embedding.sin().to_type(x.dtype);
        if (amplitude != 1)
        {
            cos = cos * Of(amplitude);
            sin = sin * Of(amplitude);
        }
        var halves = x.chunk(2, -1);
        var halfRotated = cat([halves[1].neg(), halves[0]], -1);
        var output = (x * cos).Plus(halfRotated * sin);
        return output.movedim([-1, 1], [feature, sequence]).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The float32 inverse frequencies of <paramref name="spec"/> for a feature axis of <paramref name="rotaryDim"/>
    /// (rotary_embedding.py <c>_get_inverse_freq</c>, <c>_get_yarn_inverse_freq</c>), <c>rotaryDim / 2</c> of them.
    /// </summary>
    public static Tensor InverseFrequencies(RotaryEmbeddingSpec spec, long rotaryDim, Device device)
    {
        using var scope = NewDisposeScope();
        var exponents = Range(0, rotaryDim, 2, device).div(Float32(spec.DenominatorDim ?? rotaryDim, device));
        var inverse = Float32(spec.MaxWavelength, device).pow(exponents.neg());
        var result = spec.RopeType switch
        {
            RotaryEmbeddingSpec.Linear => inverse.div(Float32(spec.ScalingFactor, device)),
            RotaryEmbeddingSpec.Dynamic => inverse.div(Float32(spec.ScalingFactor, device).pow(
                Float32(rotaryDim, device).div(Float32(Math.Max(1, rotaryDim - 2), device)))),
            _ => YarnInverseFrequencies(spec, rotaryDim, device),
        };
        return result.MoveToOuterDisposeScope();
    }

    static Tensor YarnInverseFrequencies(RotaryEmbeddingSpec spec, long rotaryDim, Device device)
    {
        var b = Float32(spec.MaxWavelength, device);
        var positionFrequencies = b.pow(Range(0, rotaryDim, 2, device).div(Float32(rotaryDim, device)));
        var extrapolation = positionFrequencies.reciprocal();
        var interpolation = Float32(spec.ScalingFactor, device).mul(positionFrequencies).reciprocal();
        // find_correction_dim_tensor: dim * ln(max_pos / (rotations * 2 pi)) / (2 ln(base))
        Tensor CorrectionDim(double rotations) => Float32(rotaryDim, device)
            .mul(Float32(spec.OriginalMaxPositionEmbeddings, device).div(Float32(rotations, device).mul(Of(2 * Math.PI))).log())
            .div(b.log().mul(Of(2)));
        var low = CorrectionDim(spec.BetaFast);
        var high = CorrectionDim(spec.BetaSlow);
        if (spec.Truncate)
        {
            low = low.floor();
            high = high.ceil();
        }
        low = low.clamp_min(Of(0));
        high = high.clamp_max(Of(rotaryDim / 2 - 1));
        var span = high.sub(low).clamp_min(Of(0.001));
        var ramp = Range(0, rotaryDim / 2, 1, device).sub(low).div(span).clamp(Of(0), Of(1));
        var extrapolationFactor = ramp.OneMinus();
        return interpolation.mul(extrapolationFactor.OneMinus()).Plus(extrapolation.mul(extrapolationFactor));
    }

    /// <summary><c>ops.arange(start, stop, step, dtype="float32")</c>.</summary>
    static Tensor Range(long start, long stop, long step, Device device) =>
        arange(Of(start), Of(stop), Of(step), dtype: ScalarType.Float32, device: device);

    static Tensor Float32(double value, Device device) => tensor((float)value, ScalarType.Float32, device);

    /// <summary>The sequence and feature axes as non-negative indices (rotary_embedding.py <c>_normalize_axes</c>), the feature size checked even.</summary>
    static (int Sequence, int Feature) Axes(Tensor inputs, int sequenceAxis, int featureAxis)
    {
        int rank = (int)inputs.dim();
        int sequence = sequenceAxis < 0 ? sequenceAxis + rank : sequenceAxis;
        int feature = featureAxis < 0 ? featureAxis + rank : featureAxis;
        if (sequence < 0 || sequence >= rank || feature < 0 || feature >= rank)
            throw new ArgumentException($"RotaryEmbedding: sequence_axis {sequenceAxis} or feature_axis {featureAxis} is out of range for an input of rank {rank}");
        if (sequence == feature) throw new ArgumentException("RotaryEmbedding: sequence_axis and feature_axis must be different");
        if (inputs.size(feature) % 2 != 0)
            throw new ArgumentException($"RotaryEmbedding: the rotary dimension must be even, got {inputs.size(feature)}");
        return (sequence, feature);
    }
}
