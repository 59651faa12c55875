namespace KerasPort.Runtime.Training;

/// <summary>
/// What <c>Compile</c> attaches to one model output (keras/src/trainers/compile_utils.py <c>CompileLoss</c> and
/// <c>CompileMetrics</c>): its loss (null: the output is not trained on) and loss weight, its metrics and weighted
/// metrics. With several losses, each output's unweighted loss is also logged as <c>&lt;output&gt;_loss</c>.
/// </summary>
/// <param name="Name">The output's name, which prefixes its logs when the model has several outputs.</param>
/// <param name="Loss">The loss, or null.</param>
/// <param name="LossWeight">Keras's <c>loss_weights</c> entry, or null.</param>
/// <param name="Metrics">Metrics that ignore sample weights.</param>
/// <param name="WeightedMetrics">Metrics that use them.</param>
public sealed record OutputHead(string Name, Loss? Loss, double? LossWeight, IReadOnlyList<Metric> Metrics, IReadOnlyList<Metric> WeightedMetrics);
