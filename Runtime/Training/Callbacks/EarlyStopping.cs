namespace KerasPort.Runtime.Training;

/// <summary>
/// Keras's <c>EarlyStopping</c> (keras/src/callbacks/early_stopping.py): stops training when <see cref="Monitor"/> has
/// not improved by more than <see cref="MinDelta"/> for <see cref="Patience"/> epochs (never after the first epoch),
/// optionally only from <see cref="StartFromEpoch"/> and only counting improvements past <see cref="Baseline"/>; with
/// <see cref="RestoreBestWeights"/> the model gets the weights of its best epoch back when training ends.
/// </summary>
public sealed class EarlyStopping(string monitor = "val_loss", double minDelta = 0, int patience = 0, string mode = "auto",
    double? baseline = null, bool restoreBestWeights = false, int startFromEpoch = 0) : Callback
{
    double best;
    int wait;
    IReadOnlyList<NdArray>? bestWeights;
    bool maximize;

    /// <summary>The log value watched.</summary>
    public string Monitor { get; } = monitor;

    /// <summary>Smallest change that counts as an improvement.</summary>
    public double MinDelta { get; } = Math.Abs(minDelta);

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; } = patience;

    /// <summary><c>auto</c>, <c>min</c> or <c>max</c>.</summary>
    public string Mode { get; } = mode;

    /// <summary>A value to beat before waiting stops being counted, or null.</summary>
    public double? Baseline { get; } = baseline;

    /// <summary>Restore the best epoch's weights at the end.</summary>
    public bool RestoreBestWeights { get; } = restoreBestWeights;

    /// <summary>Epochs to wait before monitoring at all.</summary>
    public int StartFromEpoch { get; } = startFromEpoch;

    /// <summary>The epoch training stopped at (0 if it did not stop early).</summary>
    public int StoppedEpoch { get; private set; }

    /// <summary>The best epoch seen.</summary>
    public int BestEpoch { get; private set; }

    /// <inheritdoc />
    public override void OnTrainBegin()
    {
        maximize = MonitorMode.Maximize(Monitor, Mode);
        best = maximize ? double.NegativeInfinity : double.PositiveInfinity;
        wait = 0;
        StoppedEpoch = 0;
        BestEpoch = 0;
        bestWeights = null;
    }

    bool Improves(double value, double reference) => maximize ? value - MinDelta > reference : value + MinDelta < reference;

    /// <inheritdoc />
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        if (!logs.TryGetValue(Monitor, out var current) || epoch < StartFromEpoch) return;
        if (RestoreBestWeights && bestWeights is null)
        {
            bestWeights = Model!.GetWeights();
            BestEpoch = epoch;
        }
        wait++;
        if (Improves(current, best))
        {
            best = current;
            BestEpoch = epoch;
            if (RestoreBestWeights) bestWeights = Model!.GetWeights();
            if (Baseline is not { } baselineValue || Improves(current, baselineValue)) wait = 0;
            return;
        }
        if (wait >= Patience && epoch > 0)
        {
            StoppedEpoch = epoch;
            Model!.StopTraining = true;
        }
    }

    /// <inheritdoc />
    public override void OnTrainEnd(IReadOnlyDictionary<string, double> logs)
    {
        if (RestoreBestWeights && bestWeights is not null) Model!.SetWeights(bestWeights);
    }
}
