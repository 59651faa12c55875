namespace KerasPort.Runtime.Training;

/// <summary>
/// Where <c>Fit</c> stands, reported after every batch and at the end of every epoch (what Keras's <c>verbose=1</c>
/// progress bar shows): the epoch and step, the running logs, and the loss of the batch just trained.
/// </summary>
/// <param name="Epoch">The epoch, 0-based.</param>
/// <param name="Epochs">The number of epochs of the run.</param>
/// <param name="Step">Batches done in this epoch.</param>
/// <param name="StepsPerEpoch">Batches per epoch.</param>
/// <param name="Logs">Running epoch means (after a batch) or the epoch's final logs with <c>val_</c> entries (at its end).</param>
/// <param name="BatchLoss">The loss the last batch was trained on (the value differentiated), or null at the end of an epoch.</param>
/// <param name="EpochEnd">True for the report at the end of an epoch.</param>
/// <param name="Elapsed">Time since the epoch started.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, int Step, int StepsPerEpoch, IReadOnlyDictionary<string, double> Logs,
    double? BatchLoss, bool EpochEnd, TimeSpan Elapsed);
