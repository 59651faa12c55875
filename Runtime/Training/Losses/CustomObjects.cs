namespace KerasPort.Runtime.Training;

/// <summary>
/// C# implementations of the custom objects a model's <c>compile_config</c> names, as Keras's
/// <c>custom_objects</c> / <c>register_keras_serializable</c> provide them in Python. A loss Keras recorded as
/// <c>package&gt;name</c> (e.g. <c>golden_training&gt;quartic_loss</c>) is found under that full name or under
/// <c>name</c> alone.
/// </summary>
public sealed class CustomObjects
{
    readonly Dictionary<string, Loss> losses = new(StringComparer.Ordinal);

    /// <summary>
    /// Registers a per-sample loss function (float32 <c>y_true</c>, <c>y_pred</c> of matching rank → one value per
    /// sample) under <paramref name="name"/>; Keras's reduction applies on top. Returns this registry.
    /// </summary>
    public CustomObjects RegisterLoss(string name, Func<Tensor, Tensor, Tensor> perSample)
    {
        losses[name] = new Loss(name, perSample);
        return this;
    }

    /// <summary>The loss registered as <paramref name="name"/> (or as its part after <c>&gt;</c>), or null.</summary>
    public Loss? Loss(string name) =>
        losses.GetValueOrDefault(name) ?? (name.Contains('>') ? losses.GetValueOrDefault(name[(name.IndexOf('>') + 1)..]) : null)
        ?? losses.GetValueOrDefault(KerasConfigReader.ToSnakeCase(name));
}
