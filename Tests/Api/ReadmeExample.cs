namespace KerasPort.Tests.Api;

/// <summary>
/// The "Use it in your app" example of README.md, verbatim between the markers; ReadmeExampleTests checks that the
/// README shows exactly these lines and that they reproduce Keras's outputs.
/// </summary>
internal static class ReadmeExample
{
    public static float[] Run(string path, float[] input)
    {
        // README:begin
        using var model = KerasModel.Load(path);          // .keras, .h5, JSON or YAML: detected by content
        var outputs = model.Predict(input, 2, 3, 4, 2);   // float[] in Keras layout (channels_last), batch first
        float[] result = outputs[0].ToFloats();           // or outputs["name"]: outputs are named
        // README:end
        return result;
    }
}
