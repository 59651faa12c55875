using System.Collections.Concurrent;

namespace KerasPort.KerasHub;

/// <summary>
/// The KerasHub architectures KerasPort can rebuild, keyed by <c>registered_name</c>. Applications may register their
/// own (<see cref="Register"/>) before loading a model.
/// </summary>
public static class KerasHubArchitectures
{
    /// <summary>The prefix KerasHub gives the registered names of its classes (keras_hub/src/api_export.py).</summary>
    public const string Package = "keras_hub>";

    static readonly ConcurrentDictionary<string, KerasHubArchitecture> table = new(
        BuiltIn().ToDictionary(a => a.RegisteredName, StringComparer.Ordinal), StringComparer.Ordinal);

    // One line per architecture file in Architectures/.
    static IEnumerable<KerasHubArchitecture> BuiltIn() =>
    [
        new Architectures.LlamaBackbone(),
        new Architectures.MistralBackbone(),
        new Architectures.QwenBackbone(),
        new Architectures.LlamaCausalLM(),
        new Architectures.GemmaBackbone(),
        new Architectures.Gemma3Backbone(),
        new Architectures.GemmaCausalLM(),
        new Architectures.ViTBackbone(),
        new Architectures.MobileNetBackbone(),
        new Architectures.T5Backbone(),
        new Architectures.GPT2Backbone(),
        new Architectures.BertBackbone(),
        new Architectures.WhisperBackbone(),
    ];

    /// <summary>Adds or replaces <paramref name="architecture"/>.</summary>
    public static void Register(KerasHubArchitecture architecture) => table[architecture.RegisteredName] = architecture;

    /// <summary>The registered names that can be loaded, sorted.</summary>
    public static IReadOnlyList<string> Supported => [.. table.Keys.Order(StringComparer.Ordinal)];

    /// <summary>
    /// The model a KerasHub <c>config.json</c> root describes, or null when it is not a KerasHub class. A KerasHub class
    /// without an architecture here is refused with a message naming it.
    /// </summary>
    public static ModelDescription? TryBuild(JsonObject root, string source)
    {
        if (KerasConfigReader.Text(root["registered_name"]) is not { } registered || !registered.StartsWith(Package, StringComparison.Ordinal)) return null;
        if (!table.TryGetValue(registered, out var architecture))
            throw new UnsupportedLayerException(registered[Package.Length..], KerasConfigReader.Text(root["config"]?["name"]) ?? "model",
                $"KerasHub architecture '{registered}' is not supported; supported: {string.Join(", ", Supported)}");
        var config = root["config"] as JsonObject ?? throw new ModelFileException(source, "config", $"{registered} has no constructor arguments object");
        var className = KerasConfigReader.Text(root["class_name"]) ?? registered[Package.Length..];
        var arguments = LayerReader.Of(new LayerDescription { Name = KerasConfigReader.Text(config["name"]) ?? KerasConfigReader.ToSnakeCase(className), ClassName = className, Config = config }, 3);
        return architecture.Build(arguments, new KerasHubContext(source));
    }
}
