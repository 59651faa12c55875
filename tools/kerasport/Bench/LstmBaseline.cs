using System.Text.Json.Nodes;
using KerasPort.Converters;
using KerasPort.Runtime;
using static TorchSharp.torch;

namespace KerasPort.Cli.Bench;

/// <summary>
/// A one-layer <c>torch.nn.LSTM</c> (batch_first) with the Keras LSTM's input size and units, returning the last
/// hidden state as Keras's <c>LSTM(units)</c> (return_sequences=False) does.
/// </summary>
internal sealed class LstmBaseline : Baseline
{
    readonly TorchSharp.Modules.LSTM lstm;
    readonly long steps;
    readonly long features;

    LstmBaseline(long steps, long features, long units)
    {
        this.steps = steps;
        this.features = features;
        lstm = nn.LSTM(features, units, batchFirst: true);
        lstm.eval();
    }

    /// <summary>A baseline for a model that is a <c>(batch, time, features)</c> input feeding one LSTM layer.</summary>
    public static LstmBaseline For(KerasModel model, int unknownDimension)
    {
        var lstms = model.Description.Layers.Where(l => l.ClassName == "LSTM").ToList();
        if (model.Graph.InputLayers is not [var input] || BenchInputs.Shape(input, 1, unknownDimension) is not [_, var steps, var features]
            || lstms is not [var layer] || model.Description.Layers.Count != 2)
            throw new KerasPortException($"--baseline lstm needs a model that is one (batch, time, features) input and one LSTM layer, as --builtin lstm builds; '{model.Description.Name}' is not");
        long units = (long?)layer.Config["units"] ?? throw new KerasPortException($"LSTM '{layer.Name}' has no units in its config");
        if (layer.Config["return_sequences"] is JsonValue sequences && (bool)sequences)
            throw new KerasPortException($"--baseline lstm times the last hidden state; LSTM '{layer.Name}' returns sequences");
        return new LstmBaseline(steps, features, units);
    }

    /// <inheritdoc />
    public override long ParamCount => lstm.parameters().Sum(p => p.numel());

    /// <inheritdoc />
    public override string ParamNote => "torch keeps two bias vectors (b_ih, b_hh) where Keras keeps one: 4*units more";

    /// <inheritdoc />
    public override Tensor RandomInput(int batch) => rand(batch, steps, features);

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var (_, hidden, _) = lstm.forward(input);
        return hidden[0];
    }

    /// <inheritdoc />
    public override void Dispose() => lstm.Dispose();
}
