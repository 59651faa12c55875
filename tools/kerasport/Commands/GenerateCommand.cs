using System.CommandLine;
using KerasPort.KerasHub;

namespace KerasPort.Cli.Commands;

/// <summary>
/// <c>kerasport generate MODEL --prompt "..."</c>: text generation with a KerasHub causal LM task (<see cref="CausalLM"/>),
/// printing the tokens as they come. A text prompt goes through the preprocessor saved in the model file (its tokenizer)
/// and prints text; a prompt of token ids prints ids.
/// </summary>
internal static class GenerateCommand
{
    const int DefaultMaxLength = 64;

    public static Command Create()
    {
        var model = new ModelOptions();
        var prompts = new Option<string[]>("--prompt", "-p")
        {
            Description = "A prompt (repeat for a batch): text, tokenized by the preprocessor saved with the model, or token ids separated by spaces or commas (e.g. \"2 8 33\")",
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
            var texts = result.GetValue(prompts)!;
            int length = result.GetValue(maxLength);
            var rows = texts.All(t => TokenIds(t) is not null) ? texts.Select(t => TokenIds(t)!).ToArray() : null;
            if (rows is not null && rows.Max(r => r.Length) > length)
                throw new UsageException($"a prompt has {rows.Max(r => r.Length)} tokens, more than --max-length {length}");
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
            if (rows is null)
            {
                // Text prompts: the task's own preprocessor (config.preprocessor and its tokenizer assets, read with the model) tokenizes and detokenizes.
                var lm = new CausalLM(runtime);
                var preprocessor = lm.Preprocessor
                    ?? throw new UsageException($"{result.GetValue(model.Model)} was saved without a preprocessor (no tokenizer): give the prompt as token ids, e.g. \"2 8 33\"");
                // One prompt prints as keras-hub's generate returns it: the prompt (as its tokens read back), then the new text.
                if (texts.Length == 1 && preprocessor.GenerateInputs(texts, length) is var prompt)
                    Console.Out.Write(preprocessor.Postprocess(prompt.TokenIds, prompt.PaddingMask)[0]);
                foreach (var token in lm.GenerateAsync(texts, options).ToBlockingEnumerable())
                {
                    Console.Out.Write(texts.Length == 1 ? token.Text : $"{token.Row}\t{token.Position}\t{token.Text}\n");
                    Console.Out.Flush();
                }
            }
            else
            {
                int width = rows.Max(r => r.Length);
                var inputs = new CausalLMInputs(
                    [.. rows.Select(r => r.Concat(Enumerable.Repeat(0, width - r.Length)).ToArray())],
                    [.. rows.Select(r => Enumerable.Range(0, width).Select(i => i < r.Length).ToArray())]);
                foreach (var token in new CausalLM(runtime).GenerateAsync(inputs, options).ToBlockingEnumerable())
                {
                    Console.Out.Write(rows.Length == 1 ? $"{token.TokenId} " : $"{token.Row}\t{token.Position}\t{token.TokenId}\n");
                    Console.Out.Flush();
                }
            }
            if (texts.Length == 1) Console.Out.WriteLine();
            return 0;
        }));
        return command;
    }

    /// <summary>The prompt as token ids (non-negative integers separated by spaces or commas), or null when it is text.</summary>
    static int[]? TokenIds(string prompt)
    {
        var parts = prompt.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var ids = parts.Select(p => int.TryParse(p, out var id) && id >= 0 ? id : -1).ToArray();
        return ids.Length == 0 || ids.Contains(-1) ? null : ids;
    }
}
