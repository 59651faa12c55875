using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace KerasPort.Tests.Samples;

/// <summary>
/// The ASP.NET Core sample as a real process on a free loopback port: concurrent answers equal direct Predict
/// calls, bad requests get 400 with a clear message, and the server keeps serving.
/// </summary>
public sealed class ServiceSampleTests
{
    static string SampleDll()
    {
        // Tests/bin/<Configuration>/net10.0/ -> samples/Service/bin/<Configuration>/net10.0/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(TestPaths.RepoRoot, "samples", "Service", "bin", output.Parent!.Name, output.Name, "KerasPort.Samples.Service.dll");
        Assert.True(File.Exists(path), $"{path} is missing: Tests references the sample, so building Tests builds it");
        return path;
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    static string Request(int[] tokens, int rows) =>
        new JsonObject { ["inputs"] = new JsonObject { ["tokens"] = new JsonArray(Enumerable.Range(0, rows)
            .Select(r => (JsonNode)new JsonArray(tokens.Skip(r * 7).Take(7).Select(t => (JsonNode)t).ToArray())).ToArray()) } }.ToJsonString();

    [Fact]
    public async Task ServesPredictionsConcurrentlyAndRejectsBadRequests()
    {
        var dll = SampleDll();
        int port = FreePort();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { dll, "--urls", $"http://127.0.0.1:{port}" }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
            await WaitUntilServing(http, process, log);

            using var model = KerasModel.Load(Path.Combine(Path.GetDirectoryName(dll)!, "model.keras"));
            var io = NpzArchive.Read(Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "core", "embedding", "io.npz"));
            var tokens = (int[])io["in/tokens"].Data;
            var requests = Enumerable.Range(0, 32).Select(async k =>
            {
                int rows = 1 + k % 3;
                var rotated = tokens.Select((t, i) => (t + k) % 20).Take(rows * 7).ToArray();
                var expected = model.Predict(rotated, rows, 7)["dense"];
                var response = await http.PostAsync("/predict", Json(Request(rotated, rows)));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["outputs"]!["dense"]!.AsArray();
                var values = answer.SelectMany(row => row!.AsArray().Select(v => (float)v!.GetValue<double>())).ToArray();
                Assert.Equal(expected.Shape, new long[] { answer.Count, answer[0]!.AsArray().Count });
                Assert.Equal(expected.ToFloats(), values);
            }).ToList();
            await Task.WhenAll(requests);

            await AssertBadRequest(http, "{\"inputs\": {\"tokens\": [[1, 2, 3", "malformed JSON");
            await AssertBadRequest(http, "[1, 2]", "expected {\"inputs\"");
            await AssertBadRequest(http, "{\"inputs\": {\"tokens\": [[1, 2, 3]]}}", "input 'tokens' expects shape (None, 7), got (1, 3)");
            await AssertBadRequest(http, "{\"inputs\": {\"tokens\": [[1, 2, 3, 4, 5, 6, 7], [1]]}}", "ragged");
            await AssertBadRequest(http, "{\"inputs\": {\"tokens\": [[1.5, 2, 3, 4, 5, 6, 7]]}}", "takes integers");
            await AssertBadRequest(http, "{\"inputs\": {\"words\": [[1, 2, 3, 4, 5, 6, 7]]}}", "no input 'words'");
            await AssertBadRequest(http, "{\"inputs\": {}}", "input 'tokens' (None, 7) is missing");
            await AssertBadRequest(http, "{\"inputs\": {\"tokens\": [[1, 2, 3, 4, 5, 6, 99]]}}", "layer 'embedding' (Embedding) failed");

            var after = await http.PostAsync("/predict", Json(Request(tokens, 3)));
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.False(process.HasExited);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    static async Task WaitUntilServing(HttpClient http, Process process, StringBuilder log)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(process.HasExited, $"the sample service exited: {log}");
            try
            {
                if ((await http.GetAsync("/model")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        Assert.Fail($"the sample service did not answer within 90 s: {log}");
    }

    static async Task AssertBadRequest(HttpClient http, string body, string message)
    {
        var response = await http.PostAsync("/predict", Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body} -> {(int)response.StatusCode} {text}");
        Assert.Contains(message, JsonNode.Parse(text)!["error"]!.GetValue<string>());
    }
}
