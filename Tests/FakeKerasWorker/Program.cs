using System.Text.Json.Nodes;
using KerasPort.Converters.Numpy;

// A fake of the Keras worker for the tests of the C# side of the protocol (Reference/README.md). It runs no Keras:
// it answers from a canned golden case folder given as its only argument (io.npz, case.json, model files) and says
// so in its hello reply. A file 'missing-modules.txt' in that folder makes hello fail as a Python without Keras does.
var canned = args.Length > 0 ? args[^1] : throw new ArgumentException("usage: FakeKerasWorker CANNED_CASE_DIR");
var arrays = NpzArchive.Read(Path.Combine(canned, "io.npz"));
string? line;
while ((line = Console.In.ReadLine()) is not null)
{
    var request = JsonNode.Parse(line)!.AsObject();
    var op = (string?)request["op"];
    if (op == "quit") break;
    JsonObject reply;
    try { reply = Handle(op, request); }
    catch (Exception e) { reply = new JsonObject { ["ok"] = false, ["error"] = $"{e.GetType().Name}: {e.Message}" }; }
    reply["id"] = request["id"]?.DeepClone();
    Console.Out.WriteLine(reply.ToJsonString());
    Console.Out.Flush();
}
return 0;

JsonObject Handle(string? op, JsonObject request)
{
    switch (op)
    {
        case "hello":
            var missing = Path.Combine(canned, "missing-modules.txt");
            if (File.Exists(missing))
                return new JsonObject { ["ok"] = false, ["missing"] = new JsonArray(File.ReadAllText(missing).Split(',', StringSplitOptions.TrimEntries).Select(m => (JsonNode)m).ToArray()), ["error"] = "cannot import" };
            return new JsonObject { ["ok"] = true, ["keras_version"] = "none", ["backend"] = "canned arrays, FakeKerasWorker test double", ["python_version"] = "none", ["python"] = "FakeKerasWorker", ["protocol"] = 1 };
        case "load":
            var path = (string)request["path"]!;
            if (!File.Exists(path)) throw new FileNotFoundException($"no such model file {path}");
            var inputs = arrays.Keys.Where(k => k.StartsWith("in/", StringComparison.Ordinal)).Select(k => (JsonNode)new JsonObject { ["name"] = k[3..] });
            return new JsonObject { ["ok"] = true, ["model"] = "m1", ["name"] = Path.GetFileNameWithoutExtension(path), ["inputs"] = new JsonArray(inputs.ToArray()) };
        case "predict":
        case "layer_outputs":
            CheckModelAndInputs(request);
            var chosen = arrays.Where(kv => op == "predict" ? kv.Key.StartsWith("final/", StringComparison.Ordinal) : !kv.Key.StartsWith("in/", StringComparison.Ordinal)).ToList();
            NpzArchive.Write((string)request["output"]!, chosen);
            return new JsonObject { ["ok"] = true, ["keys"] = new JsonArray(chosen.Select(kv => (JsonNode)kv.Key).ToArray()) };
        case "write_case":
            CheckModelAndInputs(request);
            var directory = (string)request["dir"]!;
            Directory.CreateDirectory(directory);
            foreach (var file in Directory.GetFiles(canned)) File.Copy(file, Path.Combine(directory, Path.GetFileName(file)), overwrite: true);
            // What the C# side sent, so a test can check it arrived intact.
            File.Copy((string)request["inputs"]!, Path.Combine(directory, "received-inputs.npz"), overwrite: true);
            return new JsonObject { ["ok"] = true, ["files"] = new JsonArray(Directory.GetFiles(directory).Select(Path.GetFileName).Order().Select(f => (JsonNode)f!).ToArray()) };
        default:
            return new JsonObject { ["ok"] = false, ["error"] = $"unknown op '{op}'" };
    }
}

void CheckModelAndInputs(JsonObject request)
{
    if ((string?)request["model"] != "m1") throw new InvalidOperationException($"unknown model '{request["model"]}'");
    NpzArchive.Read((string)request["inputs"]!); // the C# side must send a readable .npz
}

