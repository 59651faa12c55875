namespace KerasPort.Runtime;

/// <summary>Parameter totals, as <c>model.summary()</c> prints them.</summary>
public sealed record ParamCounts(long Total, long Trainable, long NonTrainable);

/// <summary>Counts a model's parameters the way Keras's <c>model.summary()</c> does (shared layers once).</summary>
public static class ParamCounter
{
    /// <summary>Total, trainable and non-trainable parameter counts.</summary>
    public static ParamCounts Count(KerasModel model)
    {
        long total = model.Graph.Layers.Values.Sum(l => l.ParamCount);
        long trainable = model.Graph.Layers.Values.Sum(l => l.TrainableParamCount);
        return new ParamCounts(total, trainable, total - trainable);
    }
}
