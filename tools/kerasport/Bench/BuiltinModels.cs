using KerasPort.Converters;
using KerasPort.Converters.Keras;
using KerasPort.Converters.Model;

namespace KerasPort.Cli.Bench;

/// <summary>The models <c>kerasport bench --builtin NAME</c> benchmarks without a model file of the user's.</summary>
internal static class BuiltinModels
{
    /// <summary>The accepted names.</summary>
    public const string Names = "lstm, resnet50, mobilenetv2, efficientnetb0, inceptionv3, transformer";

    /// <summary>
    /// An LSTM text classifier, <c>keras.Sequential([Input((100,), dtype="int32"), Embedding(10000, 32), LSTM(128),
    /// Dense(1, activation="sigmoid")])</c>, as Keras 3 writes its config (the defaults spelled out).
    /// </summary>
    const string LstmConfig = """
        {
          "module": "keras", "class_name": "Sequential",
          "config": {
            "name": "lstm_text_classifier", "trainable": true, "dtype": "float32",
            "layers": [
              {"module": "keras.layers", "class_name": "InputLayer", "registered_name": null,
               "config": {"batch_shape": [null, 100], "dtype": "int32", "sparse": false, "ragged": false, "name": "tokens"}},
              {"module": "keras.layers", "class_name": "Embedding", "registered_name": null,
               "build_config": {"input_shape": [null, 100]},
               "config": {"name": "embedding", "trainable": true, "dtype": "float32", "input_dim": 10000, "output_dim": 32, "mask_zero": false}},
              {"module": "keras.layers", "class_name": "LSTM", "registered_name": null,
               "build_config": {"input_shape": [null, 100, 32]},
               "config": {"name": "lstm", "trainable": true, "dtype": "float32", "units": 128,
                          "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": true, "unit_forget_bias": true,
                          "return_sequences": false, "return_state": false, "go_backwards": false, "stateful": false,
                          "unroll": false, "zero_output_for_mask": false, "dropout": 0.0, "recurrent_dropout": 0.0, "seed": null}},
              {"module": "keras.layers", "class_name": "Dense", "registered_name": null,
               "build_config": {"input_shape": [null, 128]},
               "config": {"name": "dense", "trainable": true, "dtype": "float32", "units": 1, "activation": "sigmoid", "use_bias": true}}
            ],
            "build_input_shape": [null, 100]
          },
          "keras_version": "3.15.1", "backend": "torch"
        }
        """;

    /// <summary>The architecture (no weights) of builtin model <paramref name="name"/>.</summary>
    public static ModelDescription Load(string name) => name switch
    {
        "lstm" => WithRandomLstmWeights(KerasConfigReader.Parse(LstmConfig, "builtin lstm")),
        "resnet50" => KerasModelReader.Load(Path.Combine(AppConfigs(), "resnet50", "model.json")),
        "mobilenetv2" or "mobilenet_v2" => KerasModelReader.Load(Path.Combine(AppConfigs(), "mobilenet_v2", "model.json")),
        "efficientnetb0" or "efficientnet_b0" => KerasModelReader.Load(Path.Combine(AppConfigs(), "efficientnet_b0", "model.json")),
        "inceptionv3" or "inception_v3" => KerasModelReader.Load(Path.Combine(AppConfigs(), "inception_v3", "model.json")),
        // The golden transformer encoder block (MultiHeadAttention, residual Adds, LayerNormalization, Dense FFN), with its weights.
        "transformer" => KerasModelReader.Load(Path.Combine(AppConfigs(), "..", "attention", "transformer_block", "model.keras")),
        _ => throw new KerasPortException($"--builtin '{name}': expected one of {Names}"),
    };

    /// <summary>
    /// The builtin LSTM text classifier with seeded uniform random weights in the Keras 3 layout: embeddings
    /// <c>(10000, 32)</c>; the LSTM cell's kernel <c>(32, 512)</c>, recurrent kernel <c>(128, 512)</c> and bias
    /// <c>(512)</c>; the Dense kernel <c>(128, 1)</c> and bias. The runtime cannot yet create an LSTM's missing weights
    /// itself (initializeMissingWeights does not reach the cell), so the benchmark brings them all.
    /// </summary>
    static ModelDescription WithRandomLstmWeights(ModelDescription model)
    {
        const int vocabulary = 10000, features = 32, units = 128;
        var random = new Random(128);
        WeightArray Uniform(string name, params long[] shape)
        {
            var data = new float[shape.Aggregate(1L, (a, b) => a * b)];
            for (int i = 0; i < data.Length; i++) data[i] = (random.NextSingle() * 2 - 1) * 0.1f;
            return new WeightArray(name, NdArray.Of(data, shape));
        }
        var weights = new Dictionary<string, WeightArray[]>
        {
            ["Embedding"] = [Uniform("vars/0", vocabulary, features)],
            ["LSTM"] = [Uniform("cell/vars/0", features, 4 * units), Uniform("cell/vars/1", units, 4 * units), Uniform("cell/vars/2", 4 * units)],
            ["Dense"] = [Uniform("vars/0", units, 1), Uniform("vars/1", 1)],
        };
        return model with { Layers = model.Layers.Select(l => weights.TryGetValue(l.ClassName, out var w) ? l with { Weights = w } : l).ToList() };
    }

    /// <summary>
    /// The golden <c>app_configs</c> folder: under <c>KERASPORT_GOLDEN</c> if set, else the first <c>shared/golden</c>
    /// (the full golden data beside the repository) or <c>Fixtures/golden</c> (the copy a clone carries) found walking
    /// up from the current directory.
    /// </summary>
    static string AppConfigs()
    {
        if (Environment.GetEnvironmentVariable("KERASPORT_GOLDEN") is { Length: > 0 } golden)
            return Path.Combine(Path.GetFullPath(golden), "app_configs");
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "golden", "app_configs"), Path.Combine(dir.FullName, "Fixtures", "golden", "app_configs") })
                if (Directory.Exists(candidate)) return candidate;
        throw new KerasPortException($"no shared/golden/app_configs or Fixtures/golden/app_configs above {Directory.GetCurrentDirectory()}: run from the KerasPort repository, or set KERASPORT_GOLDEN to the golden directory");
    }
}
