namespace KerasPort.Tests;

/// <summary>The real-Keras test category can reach Keras 3.15.1 on the torch backend.</summary>
[Trait("Category", RealKeras.Category)]
public sealed class RealKerasSmokeTests
{
    [SkippableFact]
    public void RealKerasImportsOnTheTorchBackend()
    {
        var (exitCode, output) = RealKeras.Run("-c", "import keras; print(keras.__version__, keras.backend.backend())");
        Assert.True(exitCode == 0, output);
        Assert.Contains("3.15.1 torch", output);
    }
}
