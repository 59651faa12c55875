using KerasPort.Runtime.Training;

namespace KerasPort.Tests.Training;

/// <summary>
/// The fine-tuning example of README.md, verbatim between the markers; ReadmeFineTuneExampleTests checks that the
/// README shows exactly these lines and that they train as Keras does.
/// </summary>
internal static class ReadmeFineTuneExample
{
    public static History Run(string path, NdArray x, NdArray y, NdArray xVal, NdArray yVal)
    {
        // README:begin
        using var model = KerasModel.Load(path);
        model.CompileFromFile();   // the optimizer, loss and metrics the model was compiled with in Keras
        // or: model.Compile(new Adam(learningRate: 1e-3), Loss.Get("categorical_crossentropy"), [Metric.Get("accuracy")]);
        var history = model.Fit(x, y, batchSize: 8, epochs: 3, shuffle: false,
            validationData: new ValidationData(xVal, yVal),
            callbacks: [new EarlyStopping(monitor: "val_loss", patience: 2, restoreBestWeights: true)]);
        model.Save("tuned.keras");   // weights, compile config and optimizer state, in Keras 3's own layout
        // README:end
        return history;
    }
}
