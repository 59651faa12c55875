using System.CommandLine;
using KerasPort.KerasHub;

namespace KerasPort.Cli.Commands;

/// <summary>
/// <c>kerasport generate MODEL --prompt "..."</c>: text generation with a KerasHub causal LM task (<see cref="CausalLM"/>),
/// printing the tokens as they come. Without a tokenizer the prompt is token ids and the output is ids.
/// </summary>
internal static class GenerateCommand
{
    const int DefaultMaxLength = 64;

    public static Command Create()
    {
        var model = new ModelOptions();
        var prompts = new Option<string[]>("--prompt", "-p")
        {
            Description = "A prompt (repeat for a batch): token ids separated by spaces or commas (e.g. \"2 8 33\"); the model's text tokenizer is not used yet",
            Required = true, AllowMultipleArgumentsPerToken = false,
        };
        var maxLength = new Option<int>("--max-length") { Description = "Total length, prompt included", DefaultValueFactory = _ => DefaultMaxLength }.Positive();
        var sampler = new Option<string>("--sampler") { Description = "How each next token is picked (keras-hub's samplers; top_k: k=5, top_p: p=0.1)", DefaultValueFactory = _ => "greedy" };
        sampler.AcceptOnlyFromAmong("greedy", "top_k", "top_p");
        var seed = new Option<int?>("--seed") { Description = "Seed of the top_k / top_p draws (the same seed gives the same tokens)" };
        var stop = new Option<int[]>("--stop-token-id") { Description = "Stop once every prompt has produced one of these ids (repeatable); none by default" };
        var command = new Command("generate", "Generate tokens with a KerasHub causal LM (e.g. GemmaCausalLM), printing them as they come.");
        model.AddTo(command);
        foreach (var option in new Option[] { prompts, maxLength, sampler, seed, stop }) command.Options.Add(option);
        command.SetAction(result => CliErrors.Guard(result, () =>
        {
            var rows = result.GetValue(prompts)!.Select(TokenIds).ToArray();
            int length = result.GetValue(maxLength);
            if (rows.Max(r => r.Length) > length)
                throw new UsageException($"a prompt has {rows.Max(r => r.Length)} tokens, more than --max-length {length}");
            int width = rows.Max(r => r.Length);
            var inputs = new CausalLMInputs(
                [.. rows.Select(r => r.Concat(Enumerable.Repeat(0, width - r.Length)).ToArray())],
                [.. rows.Select(r => Enumerable.Range(0, width).Select(i => i < r.Length).ToArray())]);
            var options = new GenerationOptions
            {
                MaxLength = length,
                StopTokenIds = result.GetValue(stop) is { Length: > 0 } ids ? ids : null,
                Sampler = result.GetValue(sampler) switch
                {
                    "top_k" => Sampler.TopK(seed: result.GetValue(seed)),
                    "top_p" => Sampler.TopP(seed: result.GetValue(seed)),
                    _ => Sampler.Greedy,
                },
            };
            var description = model.Load(result);
            using var runtime = model.Create(result, description);
            var lm = new CausalLM(runtime);
            foreach (var token in lm.GenerateAsync(inputs, options).ToBlockingEnumerable())
            {
                Console.Out.Write(rows.Length == 1 ? $"{token.TokenId} " : $"{token.Row}\t{token.Position}\t{token.TokenId}\n");
                Console.Out.Flush();
            }
            if (rows.Length == 1) Console.Out.WriteLine();
            return 0;
        }));
        return command;
    }

    static int[] TokenIds(string prompt)
    {
        var parts = prompt.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var ids = parts.Select(p => int.TryParse(p, out var id) && id >= 0 ? id : -1).ToArray();
        if (ids.Length == 0 || ids.Contains(-1))
            throw new UsageException($"--prompt \"{prompt}\": give token ids separated by spaces or commas (text prompts need the model's tokenizer, not wired to generate yet)");
        return ids;
    }
}
