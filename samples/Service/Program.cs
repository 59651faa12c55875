// Usage: dotnet samples/Service/bin/Debug/net10.0/KerasPort.Samples.Service.dll --urls http://127.0.0.1:5000 [--Model path]
//   curl -d '{"inputs":{"tokens":[[1,2,3,4,5,6,7]]}}' -H 'Content-Type: application/json' http://127.0.0.1:5000/predict
// One model serves every request: a loaded KerasModel is safe to use from many threads at once.
using System.Text.Json;
using System.Text.Json.Nodes;
using KerasPort;
using KerasPort.Runtime;
using KerasPort.Samples.Service;

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
using var model = KerasModel.Load(app.Configuration["Model"] ?? Path.Combine(AppContext.BaseDirectory, "model.keras"));

app.MapGet("/model", () => Results.Json(new
{
    inputs = model.Inputs.Select(i => new { name = i.Name, shape = i.Shape, dtype = i.DType }),
    outputs = model.Outputs.Select(o => new { name = o.Name, shape = o.Shape, dtype = o.DType }),
}));

// Body: {"inputs": {"<input name>": nested arrays, batch first}}. Answer: {"outputs": {"<output name>": nested arrays}}.
app.MapPost("/predict", async (HttpRequest request) =>
{
    JsonNode? body;
    try { body = await JsonNode.ParseAsync(request.Body); }
    catch (JsonException e) { return Results.BadRequest(new { error = $"malformed JSON: {e.Message}" }); }
    if (body is not JsonObject { } root || root["inputs"] is not JsonObject inputs)
        return Results.BadRequest(new { error = "expected {\"inputs\": {\"<input name>\": [[...]]}}; inputs: " + string.Join(", ", model.Inputs) });
    try
    {
        var arrays = new Dictionary<string, NdArray>(StringComparer.Ordinal);
        foreach (var (name, value) in inputs)
        {
            var info = model.Inputs.FirstOrDefault(i => i.Name == name)
                ?? throw new ModelInputException($"model has no input '{name}'; inputs: {string.Join(", ", model.Inputs)}");
            arrays[name] = JsonArrays.Read(value, info);
        }
        var outputs = model.Predict(arrays);
        var answer = new JsonObject();
        foreach (var (name, value) in outputs) answer[name] = JsonArrays.Write(value);
        return Results.Json(new JsonObject { ["outputs"] = answer });
    }
    // Inputs that do not fit, and values a layer cannot take (e.g. a token id beyond the vocabulary), name the culprit.
    catch (KerasPortException e) { return Results.BadRequest(new { error = e.Message }); }
});

app.Run();
