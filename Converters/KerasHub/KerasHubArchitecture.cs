namespace KerasPort.KerasHub;

/// <summary>
/// One KerasHub architecture (a backbone or a task such as <c>GemmaCausalLM</c>): rebuilds the layer graph its Python
/// constructor builds from the constructor arguments that <c>config.json</c> holds, since a KerasHub <c>.keras</c> file
/// serializes no inner layer. Each architecture is one file in <c>Converters/KerasHub/Architectures/</c> that cites the
/// keras-hub source it mirrors; its custom layers are runtime layers with specs, like any Keras layer.
/// </summary>
public abstract class KerasHubArchitecture
{
    /// <summary>The class this rebuilds, as <c>config.json</c>'s <c>registered_name</c> names it (e.g. <c>keras_hub&gt;GPT2Backbone</c>).</summary>
    public abstract string RegisteredName { get; }

    /// <summary>
    /// The model's graph, without weights (they are attached afterwards from the file's weights by Keras 3's layout
    /// rules). <paramref name="arguments"/> reads the constructor arguments with typed, validated getters whose errors
    /// name the class and the argument.
    /// </summary>
    public abstract ModelDescription Build(LayerReader arguments, KerasHubContext context);
}

/// <summary>What an architecture may need besides its own arguments: the file, and the other architectures (a task builds its backbone).</summary>
/// <param name="Source">The file (and part) being read, for error messages.</param>
public sealed record KerasHubContext(string Source)
{
    /// <summary>
    /// The model described by a serialized KerasHub object (<c>{"class_name", "config", "registered_name"}</c>), e.g.
    /// a task's <c>backbone</c>.
    /// </summary>
    public ModelDescription BuildNested(JsonNode? serialized, string role) =>
        serialized as JsonObject is { } root && KerasHubArchitectures.TryBuild(root, Source) is { } model
            ? model
            : throw new ModelFileException(Source, role, "is not a serialized KerasHub model (class_name, registered_name and config)");
}
