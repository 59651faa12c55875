namespace KerasPort.Tests.Converters;

/// <summary>The input a Keras 1 Sequential creates keeps Keras 1's own name, so inputs keyed by it are accepted.</summary>
public class Keras1InputNameTests
{
    /// <summary>keras 1.2.2 engine/topology.py create_input_layer: <c>&lt;class name lower case&gt;_input_&lt;n&gt;</c>.</summary>
    [SkippableTheory]
    [InlineData("dl4j_k1_bidirectional_lstm.h5", "bidirectional_input_1")]
    [InlineData("dl4j_k1_conv2d_theano.h5", "convolution2d_input_1")]
    [InlineData("dl4j_k1_embedding_conv1d_flatten.h5", "embedding_input_1")]
    public void SequentialInputIsNamedAsKeras1NamesIt(string file, string inputName)
    {
        var path = Path.Combine(SharedData.Corpus, file);
        var description = KerasModelReader.Load(path);
        Assert.Equal(1, description.KerasMajorVersion);
        Assert.Equal(inputName, Assert.Single(description.Inputs).Layer);
    }
}
