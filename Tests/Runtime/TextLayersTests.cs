using KerasPort.Converters.Keras;

namespace KerasPort.Tests.Runtime;

/// <summary>
/// The text and lookup layers against the outputs Keras documents. Keras runs these layers with TensorFlow, which
/// ../shared/keras3 lacks, so no golden case can be made: every expected value below is copied from the docstring
/// examples of keras/src/layers/preprocessing/{string_lookup,integer_lookup,hashing,hashed_crossing,
/// text_vectorization}.py (Keras 3.15.1), which Keras's own doctests check against TensorFlow.
/// </summary>
public sealed class TextLayersTests
{
    /// <summary>A Sequential model of one input (<paramref name="dtype"/>, <paramref name="batchShape"/>) and one layer.</summary>
    internal static KerasModel Model(string className, string config, string dtype = "string", string batchShape = "[null, null]") =>
        KerasModel.Create(KerasConfigReader.Parse($$$"""
            {"module": "keras", "class_name": "Sequential", "config": {"name": "m", "layers": [
              {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": {{{batchShape}}}, "dtype": "{{{dtype}}}", "name": "x"}},
              {"module": "keras.layers", "class_name": "{{{className}}}", "config": {"name": "layer", {{{config}}}}}]}}
            """, "text-test"));

    static NdArray Strings(string[][] rows) => NdArray.Of(rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length);

    static NdArray Longs(long[][] rows) => NdArray.Of(rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length);

    static void AssertValues(double[][] expected, NdArray actual, double tolerance = 0)
    {
        Assert.Equal(expected.Length, actual.Shape[0]);
        var flat = expected.SelectMany(r => r).ToArray();
        Assert.Equal(flat.Length, actual.Length);
        var got = actual.ToDoubles();
        for (int i = 0; i < flat.Length; i++)
            Assert.True(Math.Abs(flat[i] - got[i]) <= tolerance, $"element {i}: expected {flat[i]}, got {got[i]}");
    }

    static readonly string[][] Abc = [["a", "c", "d"], ["d", "z", "b"]];
    static readonly string[][] Abcd = [["a", "c", "d", "d"], ["d", "z", "b", "z"]];
    const string Vocab = "\"vocabulary\": [\"a\", \"b\", \"c\", \"d\"]";

    [Fact]
    public void StringLookupWithAKnownVocabulary()
    {
        using var model = Model("StringLookup", Vocab);
        var y = model.Predict(Strings(Abc))[0];
        Assert.Equal(DType.Int64, y.DType);
        AssertValues([[1, 3, 4], [4, 0, 2]], y);
    }

    [Fact]
    public void StringLookupWithAnAdaptedVocabularyKeepsItsSpecialTokens()
    {
        // get_vocabulary() after adapt: ['[UNK]', 'd', 'z', 'c', 'b', 'a'] (the OOV token leads, so it is not added again).
        using var model = Model("StringLookup", "\"vocabulary\": [\"[UNK]\", \"d\", \"z\", \"c\", \"b\", \"a\"]");
        AssertValues([[5, 3, 1], [1, 2, 4]], model.Predict(Strings(Abc))[0]);
    }

    [Fact]
    public void StringLookupHashesOovValuesWithFarmHash()
    {
        using var model = Model("StringLookup", Vocab + ", \"num_oov_indices\": 2");
        AssertValues([[2, 4, 5], [0, 1, 3]], model.Predict(Strings([["a", "c", "d"], ["m", "z", "b"]]))[0]);
    }

    [Fact]
    public void StringLookupOneHot()
    {
        using var model = Model("StringLookup", Vocab + ", \"output_mode\": \"one_hot\"", batchShape: "[null]");
        var y = model.Predict(NdArray.Of(new[] { "a", "b", "c", "d", "z" }, 5))[0];
        AssertValues([[0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 0, 1], [1, 0, 0, 0, 0]], y);
    }

    [Theory]
    [InlineData("multi_hot", new double[] { 0, 1, 0, 1, 1, 1, 0, 1, 0, 1 })]
    [InlineData("count", new double[] { 0, 1, 0, 1, 2, 2, 0, 1, 0, 1 })]
    public void StringLookupMultiHotAndCount(string mode, double[] expected)
    {
        using var model = Model("StringLookup", Vocab + $", \"output_mode\": \"{mode}\"");
        AssertValues([expected[..5], expected[5..]], model.Predict(Strings(Abcd))[0]);
    }

    [Fact]
    public void StringLookupTfIdfPadsOovWithTheMeanWeight()
    {
        using var model = Model("StringLookup", Vocab + ", \"output_mode\": \"tf_idf\", \"idf_weights\": [0.25, 0.75, 0.6, 0.4]");
        AssertValues([[0, 0.25, 0, 0.6, 0.8], [1.0, 0, 0.75, 0, 0.4]], model.Predict(Strings(Abcd))[0], 1e-6);
    }

    [Fact]
    public void StringLookupTfIdfTakesTheOovWeightFromAFullVocabulary()
    {
        using var model = Model("StringLookup", "\"vocabulary\": [\"[UNK]\", \"a\", \"b\", \"c\", \"d\"], \"output_mode\": \"tf_idf\", \"idf_weights\": [0.9, 0.25, 0.75, 0.6, 0.4]");
        AssertValues([[0, 0.25, 0, 0.6, 0.8], [1.8, 0, 0.75, 0, 0.4]], model.Predict(Strings(Abcd))[0], 1e-6);
    }

    [Fact]
    public void StringLookupInvertsIndicesToStrings()
    {
        using var model = Model("StringLookup", Vocab + ", \"invert\": true", dtype: "int64");
        var y = model.Predict(Longs([[1, 3, 4], [4, 0, 2]]))[0];
        Assert.Equal(DType.String, y.DType);
        Assert.Equal(["a", "c", "d", "d", "[UNK]", "b"], (string[])y.Data);
        Assert.Equal([2L, 3L], y.Shape);
    }

    [Fact]
    public void IntegerLookupExamples()
    {
        const string vocab = "\"vocabulary\": [12, 36, 1138, 42]";
        long[][] data = [[12, 1138, 42], [42, 1000, 36]];
        using (var model = Model("IntegerLookup", vocab, dtype: "int64"))
            AssertValues([[1, 3, 4], [4, 0, 2]], model.Predict(Longs(data))[0]);
        using (var model = Model("IntegerLookup", "\"vocabulary\": [-1, 42, 1138, 1000, 36, 12]", dtype: "int64"))
            AssertValues([[5, 2, 1], [1, 3, 4]], model.Predict(Longs(data))[0]);
        // Two OOV indices: floormod, 37 -> 1 and 1000 -> 0.
        using (var model = Model("IntegerLookup", vocab + ", \"num_oov_indices\": 2", dtype: "int64"))
            AssertValues([[2, 4, 5], [1, 0, 3]], model.Predict(Longs([[12, 1138, 42], [37, 1000, 36]]))[0]);
        using (var model = Model("IntegerLookup", vocab + ", \"invert\": true", dtype: "int64"))
            AssertValues([[12, 1138, 42], [42, -1, 36]], model.Predict(Longs([[1, 3, 4], [4, 0, 2]]))[0]);
    }

    [Theory]
    [InlineData("floormod", new double[] { 0, 0, 0, 0, 0, 0 })]
    [InlineData("farmhash", new double[] { 3, 3, 2, 2, 0, 1 })]
    public void IntegerLookupOovMethods(string method, double[] expected)
    {
        using var model = Model("IntegerLookup", $"\"vocabulary\": [10, 20, 30], \"num_oov_indices\": 4, \"oov_method\": \"{method}\"", dtype: "int64", batchShape: "[null]");
        var y = model.Predict(NdArray.Of(new long[] { 100, 300, 700, 1100, 1700, 2000 }, 6))[0];
        Assert.Equal(expected, y.ToDoubles());
    }

    [Theory]
    [InlineData("one_hot", new double[] { 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0 })]
    public void IntegerLookupOneHot(string mode, double[] expected)
    {
        using var model = Model("IntegerLookup", $"\"vocabulary\": [12, 36, 1138, 42], \"output_mode\": \"{mode}\"", dtype: "int64", batchShape: "[null]");
        Assert.Equal(expected, model.Predict(NdArray.Of(new long[] { 12, 36, 1138, 42, 7 }, 5))[0].ToDoubles());
    }

    [Theory]
    [InlineData("multi_hot", "", new double[] { 0, 1, 0, 1, 1, 1, 0, 1, 0, 1 })]
    [InlineData("count", "", new double[] { 0, 1, 0, 1, 2, 2, 0, 1, 0, 1 })]
    [InlineData("tf_idf", ", \"idf_weights\": [0.25, 0.75, 0.6, 0.4]", new double[] { 0, 0.25, 0, 0.6, 0.8, 1.0, 0, 0.75, 0, 0.4 })]
    public void IntegerLookupEncodings(string mode, string extra, double[] expected)
    {
        using var model = Model("IntegerLookup", $"\"vocabulary\": [12, 36, 1138, 42], \"output_mode\": \"{mode}\"{extra}", dtype: "int64");
        AssertValues([expected[..5], expected[5..]], model.Predict(Longs([[12, 1138, 42, 42], [42, 7, 36, 7]]))[0], 1e-6);
    }

    [Theory]
    [InlineData("", new long[] { 1, 0, 1, 1, 2 })]
    [InlineData(", \"salt\": [133, 137]", new long[] { 1, 2, 1, 0, 2 })]
    [InlineData(", \"salt\": 133", new long[] { 0, 0, 2, 1, 0 })]
    public void HashingMatchesTensorFlowBuckets(string salt, long[] expected)
    {
        using var model = Model("Hashing", "\"num_bins\": 3" + salt);
        var y = model.Predict(NdArray.Of(new[] { "A", "B", "C", "D", "E" }, 5, 1))[0];
        Assert.Equal(DType.Int64, y.DType);
        Assert.Equal(expected, (long[])y.Data);
    }

    [Fact]
    public void HashingPutsTheMaskValueInBinZero()
    {
        using var model = Model("Hashing", "\"num_bins\": 3, \"mask_value\": \"\"");
        Assert.Equal([1L, 1, 0, 2, 2], (long[])model.Predict(NdArray.Of(new[] { "A", "B", "", "C", "D" }, 5, 1))[0].Data);
    }

    static KerasModel Crossing(string outputMode) => KerasModel.Create(KerasConfigReader.Parse($$$"""
        {"module": "keras", "class_name": "Functional", "config": {"name": "cross", "layers": [
          {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null], "dtype": "string", "name": "f1"}, "name": "f1", "inbound_nodes": []},
          {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null], "dtype": "int64", "name": "f2"}, "name": "f2", "inbound_nodes": []},
          {"module": "keras.layers", "class_name": "HashedCrossing", "config": {"name": "crossing", "num_bins": 5, "output_mode": "{{{outputMode}}}", "sparse": false},
           "name": "crossing", "inbound_nodes": [{"args": [[
             {"class_name": "__keras_tensor__", "config": {"shape": [null], "dtype": "string", "keras_history": ["f1", 0, 0]}},
             {"class_name": "__keras_tensor__", "config": {"shape": [null], "dtype": "int64", "keras_history": ["f2", 0, 0]}}]], "kwargs": {}}]}],
          "input_layers": [["f1", 0, 0], ["f2", 0, 0]], "output_layers": [["crossing", 0, 0]]}}
        """, "cross"));

    static readonly NdArray Feature1 = NdArray.Of(new[] { "A", "B", "A", "B", "A" }, 5);
    static readonly NdArray Feature2 = NdArray.Of(new long[] { 101, 101, 101, 102, 102 }, 5);

    [Fact]
    public void HashedCrossingMatchesCrossHashed()
    {
        using var model = Crossing("int");
        Assert.Equal([1L, 4, 1, 1, 3], (long[])model.Predict(Feature1, Feature2)[0].Data);
    }

    [Fact]
    public void HashedCrossingOneHot()
    {
        using var model = Crossing("one_hot");
        AssertValues([[0, 1, 0, 0, 0], [0, 0, 0, 0, 1], [0, 1, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 0, 1, 0]], model.Predict(Feature1, Feature2)[0]);
    }

    [Fact]
    public void TextVectorizationPadsToTheSequenceLength()
    {
        // The docstring adapts on ["foo bar", "bar baz", "baz bada boom"]: counts 2, 2, 1, 1, 1, ties by token
        // descending (index_lookup.py finalize_state), so the saved vocabulary is this one.
        using var model = Model("TextVectorization",
            "\"max_tokens\": 5000, \"output_mode\": \"int\", \"output_sequence_length\": 4, \"vocabulary\": [\"\", \"[UNK]\", \"baz\", \"bar\", \"foo\", \"boom\", \"bada\"]",
            batchShape: "[null, 1]");
        var y = model.Predict(NdArray.Of(new[] { "foo qux bar", "qux baz" }, 2, 1))[0];
        Assert.Equal(DType.Int64, y.DType);
        AssertValues([[4, 1, 3, 0], [1, 2, 0, 0]], y);
    }

    [Fact]
    public void TextVectorizationAddsPaddingAndOovTokensToAGivenVocabulary()
    {
        using var model = Model("TextVectorization",
            "\"max_tokens\": 5000, \"output_mode\": \"int\", \"output_sequence_length\": 4, \"vocabulary\": [\"earth\", \"wind\", \"and\", \"fire\"]",
            batchShape: "[null]");
        // get_vocabulary() is ['', '[UNK]', 'earth', 'wind', 'and', 'fire']; standardization lower-cases and strips punctuation.
        AssertValues([[2, 3, 4, 5], [5, 1, 0, 0]], model.Predict(NdArray.Of(new[] { "Earth, WIND and fire!", "fire\tWater" }, 2))[0]);
    }

    [Fact]
    public void StringsGoOnlyToStringInputs()
    {
        using var text = Model("StringLookup", Vocab);
        Assert.Contains("takes strings", Assert.Throws<ModelInputException>(() => text.Predict(NdArray.Of(new float[2], 2, 1))).Message);
        using var numbers = Model("IntegerLookup", "\"vocabulary\": [1, 2]", dtype: "int64");
        Assert.Contains("got strings", Assert.Throws<ModelInputException>(() => numbers.Predict(NdArray.Of(new[] { "a" }, 1, 1))).Message);
    }

    [Fact]
    public void ACustomStandardizeRunsItsRegisteredStandIn()
    {
        const string config = "\"standardize\": {\"module\": \"__main__\", \"class_name\": \"function\", \"config\": \"strip_html\", \"registered_name\": \"Custom>strip_html\"}, \"vocabulary\": [\"good\", \"film\"]";
        var description = KerasConfigReader.Parse($$$"""
            {"module": "keras", "class_name": "Sequential", "config": {"name": "m", "layers": [
              {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null], "dtype": "string", "name": "x"}},
              {"module": "keras.layers", "class_name": "TextVectorization", "config": {"name": "layer", {{{config}}}}}]}}
            """, "custom");
        var refused = Assert.Throws<UnsupportedLayerException>(() => KerasModel.Create(description));
        Assert.Contains("RegisterTextStandardize(\"Custom>strip_html\"", refused.Message);
        var registry = LayerRegistry.CreateDefault().RegisterTextStandardize("strip_html", s => s.Replace("<br />", " "));
        using var model = KerasModel.Create(description, registry: registry);
        // Custom code replaces the default standardization: case is kept, so "Film" is out of vocabulary.
        AssertValues([[2, 3, 1]], model.Predict(NdArray.Of(new[] { "good<br />film Film" }, 1))[0]);
    }

    /// <summary>
    /// Cases of Keras's own keras/src/layers/preprocessing/text_vectorization_test.py (named after its test methods),
    /// which Keras runs against TensorFlow: config, input rows (a trailing axis of 1 when <c>column</c>) and output.
    /// </summary>
    public static TheoryData<string, string, string[], bool, double[][]> KerasTestCases() => new()
    {
        { "test_fixed_vocabulary", "\"output_sequence_length\": 4, \"vocabulary\": [\"baz\", \"bar\", \"foo\"]", ["foo qux bar", "qux baz"], true, [[4, 1, 3, 0], [1, 2, 0, 0]] },
        { "test_multi_hot_output", "\"output_mode\": \"multi_hot\", \"vocabulary\": [\"foo\", \"bar\", \"baz\"]", ["foo bar", "baz foo foo"], true, [[0, 1, 1, 0], [0, 1, 0, 1]] },
        { "test_output_mode_count_output", "\"output_mode\": \"count\", \"vocabulary\": [\"foo\", \"bar\", \"baz\"]", ["foo bar", "baz foo foo"], false, [[0, 1, 1, 0], [0, 2, 0, 1]] },
        { "test_output_mode_tf_idf_output", "\"output_mode\": \"tf_idf\", \"vocabulary\": [\"foo\", \"bar\", \"baz\"], \"idf_weights\": [0.3, 0.5, 0.2]", ["foo bar", "baz foo foo"], false, [[0, 0.3, 0.5, 0], [0, 0.6, 0, 0.2]] },
        { "test_lower_and_strip_punctuation_standardization", "\"vocabulary\": [\"hello\", \"world\", \"this\", \"is\", \"nice\", \"test\"]", ["Hello, World!. This is just a nice test!"], false, [[2, 3, 4, 5, 1, 1, 6, 7]] },
        { "test_lower_standardization", "\"standardize\": \"lower\", \"vocabulary\": [\"hello,\", \"hello\", \"world\", \"this\", \"is\", \"nice\", \"test\"]", ["Hello, World!. This is just a nice test!"], false, [[2, 1, 5, 6, 1, 1, 7, 1]] },
        { "test_char_splitting", "\"split\": \"character\", \"vocabulary\": [\"a\", \"b\", \"c\", \"d\", \"e\"]", ["abcf"], false, [[2, 3, 4, 1]] },
        { "test_strip_punctuation_standardization", "\"standardize\": \"strip_punctuation\", \"vocabulary\": [\"Hello\", \"World\", \"Test\"]", ["Hello, World! Test."], false, [[2, 3, 4]] },
        { "test_no_standardization", "\"standardize\": null, \"vocabulary\": [\"Hello\", \"world\"]", ["Hello hello"], false, [[2, 1]] },
        { "test_no_split", "\"split\": null, \"vocabulary\": [\"foo\", \"bar\", \"baz\"]", ["foo", "bar", "unknown"], true, [[2], [3], [1]] },
        { "test_vocabulary_from_file (its vocabulary)", "\"vocabulary\": [\"foo\", \"bar\", \"baz\"]", ["foo bar baz unknown"], false, [[2, 3, 4, 1]] },
    };

    [Theory]
    [MemberData(nameof(KerasTestCases))]
    public void TextVectorizationPassesKerasOwnTests(string test, string config, string[] rows, bool column, double[][] expected)
    {
        using var model = Model("TextVectorization", config, batchShape: column ? "[null, 1]" : "[null]");
        var input = column ? NdArray.Of(rows, rows.Length, 1) : NdArray.Of(rows, rows.Length);
        AssertValues(expected, model.Predict(input)[0], 1e-6);
        Assert.NotEmpty(test);
    }

    [Fact]
    public void TextVectorizationPadsBinsToMaxTokens()
    {
        // text_vectorization_test.py test_pad_to_max_tokens: the bins run to max_tokens.
        using var model = Model("TextVectorization", "\"output_mode\": \"multi_hot\", \"vocabulary\": [\"foo\", \"bar\"], \"max_tokens\": 8, \"pad_to_max_tokens\": true", batchShape: "[null]");
        AssertValues([[0, 1, 1, 0, 0, 0, 0, 0]], model.Predict(NdArray.Of(new[] { "foo bar" }, 1))[0]);
    }

    [Fact]
    public void TextVectorizationFormsNGramsOfEachWidthInTurn()
    {
        // tf.strings.ngrams(["A", "B", "C", "D"], 2) -> [b"A B", b"B C", b"C D"] (its docstring); with ngrams=2 the
        // unigrams come first (text_vectorization.py turns an int n into widths 1..n).
        using var model = Model("TextVectorization", "\"standardize\": null, \"ngrams\": 2, \"vocabulary\": [\"A B\", \"B C\", \"C D\", \"A\", \"D\"]", batchShape: "[null]");
        AssertValues([[5, 1, 1, 6, 2, 3, 4]], model.Predict(NdArray.Of(new[] { "A B C D" }, 1))[0]);
    }
}
