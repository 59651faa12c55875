namespace KerasPort.Runtime;

/// <summary>Parameter totals, as <c>model.summary()</c> prints them.</summary>
public sealed record ParamCounts(long Total, long Trainable, long NonTrainable);

/// <summary>Counts a model's parameters the way Keras's <c>model.summary()</c> does (shared layers once).</summary>
public static class ParamCounter
{
    /// <summary>Total, trainable and non-trainable parameter counts.</summary>
    public static ParamCounts Count(KerasModel model)
    {
        // A layer that uses another layer's weights (a task's logits call of its backbone's embedding) holds no variable of its own.
        var owners = model.Graph.Layers.Values.Where(l => model.Description.Layer(l.Name).SharesWeightsOf is null).ToList();
        long total = owners.Sum(l => l.ParamCount);
        long trainable = owners.Sum(l => l.TrainableParamCount);
        return new ParamCounts(total, trainable, total - trainable);
    }
}
