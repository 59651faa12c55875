using System.CommandLine;
using KerasPort.Converters;
using KerasPort.Converters.Model;
using KerasPort.Runtime;

namespace KerasPort.Cli.Commands;

/// <summary>The model argument and <c>--weights</c> option that every model command shares.</summary>
internal sealed class ModelOptions
{
    public Argument<string> Model { get; } = new("model") { Description = "Keras model: .keras, an unzipped .keras folder, .h5 (full model), a SavedModel folder, or a JSON/YAML architecture" };

    public Option<string?> Weights { get; } = new Option<string?>("--weights", "-w") { Description = "Weights for a JSON/YAML architecture: HDF5 (legacy or Keras 3 layout) or a sharded Keras 3 index (*.weights.json)" }.InputFile();

    /// <summary>Adds the model argument and <c>--weights</c> to <paramref name="command"/>, then the command's own <paramref name="options"/>.</summary>
    public void AddTo(Command command, params Option[] options)
    {
        command.Arguments.Add(Model);
        command.Options.Add(Weights);
        foreach (var option in options) command.Options.Add(option);
    }

    public ModelDescription Load(ParseResult result) =>
        KerasModelReader.Load(result.GetValue(Model)!, result.GetValue(Weights));

    /// <summary>
    /// The runtime of a loaded model that needs its trained weights; an architecture-only file (JSON/YAML without
    /// <c>--weights</c>) is a usage mistake that says which option is missing.
    /// </summary>
    public KerasModel Create(ParseResult result, ModelDescription description, KerasModelOptions? options = null)
    {
        try { return KerasModel.Create(description, options); }
        catch (WeightMismatchException) when (result.GetValue(Weights) is null && KerasModel.IsArchitectureOnly(description))
        {
            throw new UsageException($"{result.GetValue(Model)} holds an architecture without weights: pass --weights WEIGHTS.h5 (the weights saved with it)");
        }
    }
}
