using System.CommandLine;
using KerasPort.Runtime;
using Spectre.Console;

namespace KerasPort.Cli.Commands;

/// <summary><c>kerasport summary MODEL</c>: the table Keras's <c>model.summary()</c> prints, with the same parameter counts.</summary>
internal static class SummaryCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var command = new Command("summary", "Print a Keras-style summary: layers, output shapes, parameter counts, connections.");
        model.AddTo(command);
        command.SetAction(result => CliErrors.Guard(() =>
        {
            var description = model.Load(result);
            // An architecture-only file still has a summary: build it with freshly initialized weights, as Keras would.
            using var runtime = KerasModel.Create(description, initializeMissingWeights: KerasModel.IsArchitectureOnly(description));
            Render(ModelSummary.Build(runtime));
            return 0;
        }));
        return command;
    }

    static void Render(ModelSummary summary)
    {
        AnsiConsole.MarkupLine($"Model: \"{Markup.Escape(summary.Name)}\" ({Markup.Escape(summary.ClassName)})");
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("Layer (type)");
        table.AddColumn("Output Shape");
        table.AddColumn(new TableColumn("Param #").RightAligned());
        table.AddColumn("Connected to");
        foreach (var row in summary.Rows)
        {
            var shapes = string.Join(", ", row.OutputShapes.Select(Shape));
            table.AddRow(
                Markup.Escape(row.Quantization is null ? $"{row.Name} ({row.ClassName})" : $"{row.Name} ({row.ClassName}, {row.Quantization})"),
                Markup.Escape(shapes),
                row.Params.ToString("N0"),
                Markup.Escape(row.ConnectedTo.Count == 0 ? "-" : string.Join(", ", row.ConnectedTo)));
        }
        AnsiConsole.Write(table);
        Console.WriteLine($" Total params: {summary.Params.Total:N0}");
        Console.WriteLine($" Trainable params: {summary.Params.Trainable:N0}");
        Console.WriteLine($" Non-trainable params: {summary.Params.NonTrainable:N0}");
    }

    static string Shape(int?[] dims) =>
        "(" + string.Join(", ", dims.Select((d, i) => i == 0 || d is null ? "None" : d.Value.ToString())) + (dims.Length == 1 ? ",)" : ")");
}
