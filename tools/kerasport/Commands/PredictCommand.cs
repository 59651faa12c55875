using System.CommandLine;
using KerasPort.Converters;
using KerasPort.Converters.Model;
using KerasPort.Converters.Numpy;
using KerasPort.Runtime;
using Spectre.Console;

namespace KerasPort.Cli.Commands;

/// <summary><c>kerasport predict MODEL --input in.npz --output out.npz</c>: runs the model on arrays in Keras layout.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var input = new Option<string>("--input", "-i") { Description = ".npy (single-input model) or .npz whose keys are input names (optionally prefixed 'in/') or arr_0, arr_1, ...", Required = true }.InputFile();
        var output = new Option<string>("--output", "-o") { Description = ".npz to write; keys are the output layer names", Required = true }.OutputFile();
        var command = new Command("predict", "Run a model on .npy/.npz inputs and write its outputs to .npz.");
        model.AddTo(command, input, output);
        command.SetAction(result => CliErrors.Guard(result, () =>
        {
            var description = model.Load(result);
            using var runtime = model.Create(result, description);
            var inputs = ReadInputs(result.GetValue(input)!, description);
            var outputs = runtime.Predict(inputs);
            var names = KerasModel.OutputNamesOf(description);
            NpzArchive.Write(result.GetValue(output)!, names.Zip(outputs, KeyValuePair.Create));
            for (int k = 0; k < outputs.Length; k++)
                AnsiConsole.MarkupLine($"{Markup.Escape(names[k])}: {Markup.Escape(outputs[k].ShapeText)} {outputs[k].DType}");
            return 0;
        }));
        return command;
    }

    /// <summary>Model inputs, in model-input order, from a .npy (one-input model) or .npz keyed by input name, <c>in/</c>name or position.</summary>
    internal static NdArray[] ReadInputs(string path, ModelDescription description)
    {
        if (NpyFormat.IsNpy(path))
        {
            if (description.Inputs.Count != 1)
                throw new ModelFileException(path, null, $"a single .npy feeds a one-input model; '{description.Name}' has {description.Inputs.Count} inputs: use .npz");
            return [NpyFormat.Read(path)];
        }
        var arrays = NpzArchive.Read(path);
        return description.Inputs.Select((reference, i) =>
            arrays.GetValueOrDefault(reference.Layer) ?? arrays.GetValueOrDefault($"in/{reference.Layer}") ?? arrays.GetValueOrDefault($"arr_{i}")
            ?? throw new ModelFileException(path, reference.Layer, $"no array for model input '{reference.Layer}' (keys: {string.Join(", ", arrays.Keys)})"))
            .ToArray();
    }
}
