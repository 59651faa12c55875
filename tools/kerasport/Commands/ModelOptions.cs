using System.CommandLine;
using KerasPort.Converters;
using KerasPort.Converters.Model;

namespace KerasPort.Cli.Commands;

/// <summary>The model argument and <c>--weights</c> option that every model command shares.</summary>
internal sealed class ModelOptions
{
    public Argument<string> Model { get; } = new("model") { Description = "Keras model: .keras, .h5 (full model), or a JSON/YAML architecture" };

    public Option<string?> Weights { get; } = new("--weights", "-w") { Description = "Weights HDF5 for a JSON/YAML architecture (legacy or Keras 3 layout)" };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Model);
        command.Options.Add(Weights);
    }

    public ModelDescription Load(ParseResult result) =>
        KerasModelReader.Load(result.GetValue(Model)!, result.GetValue(Weights));
}
