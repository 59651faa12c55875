namespace KerasPort.Runtime.Training;

/// <summary>
/// A Keras callback (keras/src/callbacks/callback.py): hooks <c>KerasModel.Fit</c> calls at the start and end of
/// training, of each epoch and of each batch. <c>logs</c> hold the running epoch means of the loss and metrics (batch
/// hooks) or the epoch's final values including <c>val_</c> ones (epoch end). Set
/// <see cref="KerasModel.StopTraining"/> to stop after the current batch.
/// </summary>
public abstract class Callback
{
    /// <summary>The model being trained (set by <c>Fit</c> before <see cref="OnTrainBegin"/>).</summary>
    public KerasModel? Model { get; internal set; }

    /// <summary>Training starts.</summary>
    public virtual void OnTrainBegin() { }

    /// <summary>Training ended, with the last epoch's logs.</summary>
    public virtual void OnTrainEnd(IReadOnlyDictionary<string, double> logs) { }

    /// <summary>Epoch <paramref name="epoch"/> (0-based) starts.</summary>
    public virtual void OnEpochBegin(int epoch) { }

    /// <summary>Epoch <paramref name="epoch"/> ended; <paramref name="logs"/> include validation results.</summary>
    public virtual void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs) { }

    /// <summary>Batch <paramref name="batch"/> (0-based within the epoch) starts.</summary>
    public virtual void OnTrainBatchBegin(int batch) { }

    /// <summary>Batch <paramref name="batch"/> ended; <paramref name="logs"/> are the running epoch means.</summary>
    public virtual void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) { }
}

/// <summary>
/// Keras's <c>History</c>: the logs of every epoch (<c>history.history</c>), which <c>Fit</c> returns.
/// </summary>
public sealed class History : Callback
{
    readonly List<int> epochs = [];
    readonly Dictionary<string, List<double>> values = new(StringComparer.Ordinal);

    /// <summary>The epochs recorded (0-based).</summary>
    public IReadOnlyList<int> Epochs => epochs;

    /// <summary>Each log name's value per recorded epoch (<c>loss</c>, metrics, <c>val_</c> ones).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> Values => values.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<double>)kv.Value);

    /// <inheritdoc />
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        epochs.Add(epoch);
        foreach (var (name, value) in logs)
        {
            if (!values.TryGetValue(name, out var list)) values[name] = list = [];
            list.Add(value);
        }
    }
}

/// <summary>Whether a monitored value improves by going down or up, decided as Keras's callbacks do.</summary>
internal static class MonitorMode
{
    /// <summary>
    /// True when larger is better: <paramref name="mode"/> <c>max</c>; with <c>auto</c>, metrics whose name (without
    /// <c>val_</c>) is an accuracy or similarity (Keras's <c>_direction = "up"</c>), false for losses and errors.
    /// </summary>
    public static bool Maximize(string monitor, string mode) => mode switch
    {
        "max" => true,
        "min" => false,
        _ => monitor.StartsWith("val_", StringComparison.Ordinal) ? Up(monitor[4..]) : Up(monitor),
    };

    static bool Up(string name) => name.Contains("acc", StringComparison.Ordinal) || name.Contains("similarity", StringComparison.Ordinal)
        || name.StartsWith("fmeasure", StringComparison.Ordinal) || name.Contains("auc", StringComparison.Ordinal)
        || name.Contains("precision", StringComparison.Ordinal) || name.Contains("recall", StringComparison.Ordinal);
}
