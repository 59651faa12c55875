using System.Text.Json.Nodes;
using KerasPort.Converters;
using KerasPort.Converters.Model;
using KerasPort.Runtime;
using static TorchSharp.torch;

namespace KerasPort.Cli.Bench;

/// <summary>
/// The LSTM text classifier (<c>--builtin lstm</c>) written by hand: <c>torch.nn.Embedding</c>, a one-layer
/// <c>torch.nn.LSTM</c> (batch_first) whose last hidden state, as Keras's <c>LSTM(units)</c> (return_sequences=False)
/// returns it, feeds a <c>torch.nn.Linear</c> and a sigmoid.
/// </summary>
internal sealed class LstmBaseline : Baseline
{
    readonly TorchSharp.Modules.Embedding embedding;
    readonly TorchSharp.Modules.LSTM lstm;
    readonly TorchSharp.Modules.Linear dense;
    readonly long steps;
    readonly long vocabulary;

    LstmBaseline(long steps, long vocabulary, long features, long units, long outputs)
    {
        this.steps = steps;
        this.vocabulary = vocabulary;
        embedding = nn.Embedding(vocabulary, features);
        lstm = nn.LSTM(features, units, batchFirst: true);
        dense = nn.Linear(units, outputs);
        foreach (nn.Module module in new nn.Module[] { embedding, lstm, dense }) module.eval();
    }

    /// <summary>
    /// A baseline for a model that is a <c>(batch, time)</c> integer input, an Embedding, one LSTM returning its last
    /// state and a sigmoid Dense, as <c>--builtin lstm</c> builds.
    /// </summary>
    public static LstmBaseline For(KerasModel model, int unknownDimension)
    {
        var layers = model.Description.Layers;
        if (model.Graph.InputLayers is not [var input] || BenchInputs.Shape(input, 1, unknownDimension) is not [_, var steps]
            || layers.Count != 4 || layers[1].ClassName != "Embedding" || layers[2].ClassName != "LSTM" || layers[3].ClassName != "Dense"
            || (string?)layers[3].Config["activation"] != "sigmoid")
            throw new KerasPortException($"--baseline lstm needs a model that is a (batch, time) token input, an Embedding, one LSTM and a sigmoid Dense, as --builtin lstm builds; '{model.Description.Name}' is not");
        var lstm = layers[2];
        if (lstm.Config["return_sequences"] is JsonValue sequences && (bool)sequences)
            throw new KerasPortException($"--baseline lstm times the last hidden state; LSTM '{lstm.Name}' returns sequences");
        return new LstmBaseline(steps, Size(layers[1], "input_dim"), Size(layers[1], "output_dim"), Size(lstm, "units"), Size(layers[3], "units"));
    }

    static long Size(LayerDescription layer, string key) =>
        (long?)layer.Config[key] ?? throw new KerasPortException($"{layer.ClassName} '{layer.Name}' has no {key} in its config");

    /// <inheritdoc />
    public override long ParamCount => new nn.Module[] { embedding, lstm, dense }.Sum(m => m.parameters().Sum(p => p.numel()));

    /// <inheritdoc />
    public override string ParamNote => "torch's LSTM keeps two bias vectors (b_ih, b_hh) where Keras keeps one: 4*units more";

    /// <inheritdoc />
    public override Tensor RandomInput(int batch) => randint(1, Math.Min(3, vocabulary), [batch, steps], ScalarType.Int64);

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var (_, hidden, _) = lstm.forward(embedding.forward(input));
        return dense.forward(hidden[0]).sigmoid_();
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        embedding.Dispose();
        lstm.Dispose();
        dense.Dispose();
    }
}
