// Usage: dotnet run --project samples/Console [-- model.keras]
using KerasPort;
using KerasPort.Runtime;

var path = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "model.keras");
using var model = KerasModel.Load(path);

Console.WriteLine($"inputs:  {string.Join("; ", model.Inputs)}");
Console.WriteLine($"outputs: {string.Join("; ", model.Outputs)}");
Console.WriteLine($"params:  {model.Summary().Params.Total}");

// One batch of two token sequences (the bundled model embeds 7 token ids in 0..19).
int[] tokens = [1, 2, 3, 4, 5, 6, 7, 19, 18, 17, 16, 15, 14, 13];
var outputs = model.Predict(tokens, 2, 7);
foreach (var (name, value) in outputs)
    Console.WriteLine($"{name} {value.ShapeText}: {string.Join(", ", value.ToFloats().Select(v => v.ToString("0.0000")))}");

// A stream of single samples, run four at a time.
var samples = Enumerable.Range(0, 10).Select(i => NdArray.Of(Enumerable.Range(i, 7).Select(t => t % 20).ToArray(), 7));
int n = 0;
foreach (var result in model.PredictBatches(samples, batchSize: 4))
    Console.WriteLine($"sample {n++}: {string.Join(", ", result[0].ToFloats().Select(v => v.ToString("0.0000")))}");
