namespace KerasPort.Reference.Golden;

/// <summary>
/// One way a golden case stores its model: the model file and, for architecture-only formats, the weights file.
/// Names are those of <c>kerasport verify --formats</c>.
/// </summary>
public sealed record GoldenFormat(string Name, string ModelFile, string? WeightsFile)
{
    /// <summary><c>model.keras</c> (Keras 3 zip).</summary>
    public static readonly GoldenFormat Keras = new("keras", "model.keras", null);

    /// <summary><c>model.h5</c> (legacy full-model HDF5).</summary>
    public static readonly GoldenFormat H5 = new("h5", "model.h5", null);

    /// <summary><c>model.json</c> + <c>model.weights.h5</c> (Keras 3 weights layout).</summary>
    public static readonly GoldenFormat Json = new("json", "model.json", "model.weights.h5");

    /// <summary><c>model.json</c> + <c>model.legacy-weights.h5</c> (legacy weights-only HDF5).</summary>
    public static readonly GoldenFormat Legacy = new("legacy", "model.json", "model.legacy-weights.h5");

    /// <summary><c>model.yaml</c> + <c>model.weights.h5</c>.</summary>
    public static readonly GoldenFormat Yaml = new("yaml", "model.yaml", "model.weights.h5");

    /// <summary>
    /// <c>model.json</c> alone: the architecture is built with freshly initialized weights, run, and its parameter
    /// counts checked against Keras's (the only check possible for <c>app_configs</c>, which ship no weights).
    /// </summary>
    public static readonly GoldenFormat Architecture = new("architecture", "model.json", null);

    /// <summary>
    /// The folder <c>model/</c>: an unzipped <c>.keras</c> (<c>model.save('model', zipped=False)</c>), which cases list
    /// in case.json <c>files</c> as <c>model/config.json</c>, <c>model/metadata.json</c>, <c>model/model.weights.h5</c>.
    /// </summary>
    public static readonly GoldenFormat KerasDirectory = new("keras-dir", "model/", null);

    /// <summary>
    /// <c>model.json</c> + <c>model.weights.json</c>: the index of sharded Keras 3 weights
    /// (<c>save_weights('model.weights.json', max_shard_size=...)</c>) and its <c>model_NNNNN.weights.h5</c> shards.
    /// </summary>
    public static readonly GoldenFormat Sharded = new("sharded", "model.json", "model.weights.json");

    /// <summary>All formats, in report order.</summary>
    public static readonly IReadOnlyList<GoldenFormat> All = [Keras, H5, Json, Legacy, Yaml, Architecture, KerasDirectory, Sharded];

    /// <summary>True for <see cref="Architecture"/>, which compares parameter counts but no outputs.</summary>
    public bool ArchitectureOnly => ReferenceEquals(this, Architecture);

    /// <summary>The format called <paramref name="name"/>.</summary>
    public static GoldenFormat Parse(string name) =>
        All.FirstOrDefault(f => f.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown format '{name}' (known: {string.Join(", ", All.Select(f => f.Name))})");

    /// <summary>True if <paramref name="goldenCase"/> has every file this format needs (for a folder, its <c>config.json</c>).</summary>
    public bool IsPresentIn(GoldenCase goldenCase) =>
        File.Exists(goldenCase.PathOf(ModelFile.EndsWith('/') ? ModelFile + "config.json" : ModelFile))
        && (WeightsFile is null || File.Exists(goldenCase.PathOf(WeightsFile)));
}
