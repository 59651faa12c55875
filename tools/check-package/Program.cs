// The consumer app of tools/check-package.sh: copied into a fresh `dotnet new console` project that references only
// the packed KerasPort package. Loads a golden model in every format and compares with Keras's outputs.
using KerasPort.Converters.Numpy;
using KerasPort.Runtime;

var dir = args[0];
var io = NpzArchive.Read(Path.Combine(dir, "io.npz"));
double worst = 0;
foreach (var load in new Func<KerasModel>[]
{
    () => KerasModel.Load(Path.Combine(dir, "model.keras")),
    () => KerasModel.Load(Path.Combine(dir, "model.h5")),
    () => KerasModel.Load(Path.Combine(dir, "model.json"), Path.Combine(dir, "model.weights.h5")),
})
{
    using var model = load();
    var inputs = model.Inputs.ToDictionary(i => i.Name, i => io[$"in/{i.Name}"]);
    var outputs = model.Predict(inputs);
    for (int k = 0; k < outputs.Count; k++)
    {
        var (expected, actual) = (io[$"final/{k}"].ToDoubles(), outputs[k].ToDoubles());
        if (expected.Length != actual.Length) { Console.WriteLine($"output {k}: {actual.Length} values, expected {expected.Length}"); return 1; }
        for (int i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
            if (Math.Abs(expected[i] - actual[i]) > 1e-5 + 1e-4 * Math.Abs(expected[i])) { Console.WriteLine($"output {k}[{i}]: {actual[i]} vs Keras {expected[i]}"); return 1; }
        }
    }
    Console.WriteLine($"{string.Join(", ", model.Inputs)} -> {string.Join(", ", model.Outputs)}: matches Keras");
}
Console.WriteLine($"PASS max abs error {worst:G3}");
return 0;
