using System.Globalization;
using System.Text.RegularExpressions;

namespace KerasPort.Runtime.Training;

/// <summary>
/// Keras's <c>ModelCheckpoint</c> (keras/src/callbacks/model_checkpoint.py), saving at the end of each epoch:
/// the path may hold Python format fields filled from the epoch (1-based) and the logs, e.g.
/// <c>ckpt-{epoch:02d}-{val_loss:.4f}.keras</c>. With <see cref="SaveBestOnly"/> it saves only when
/// <see cref="Monitor"/> improves on the best value so far (and, if set, on <see cref="InitialValueThreshold"/>).
/// A <c>.keras</c> path saves the whole model with its compile config and optimizer state; with
/// <see cref="SaveWeightsOnly"/> the path must end in <c>.weights.h5</c>.
/// </summary>
public sealed partial class ModelCheckpoint(string filePath, string monitor = "val_loss", bool saveBestOnly = false,
    bool saveWeightsOnly = false, string mode = "auto", double? initialValueThreshold = null) : Callback
{
    double best;
    bool maximize;

    /// <summary>Where to save (with format fields).</summary>
    public string FilePath { get; } = filePath;

    /// <summary>The log value compared with <see cref="SaveBestOnly"/>.</summary>
    public string Monitor { get; } = monitor;

    /// <summary>Save only improvements of <see cref="Monitor"/>.</summary>
    public bool SaveBestOnly { get; } = saveBestOnly;

    /// <summary>Save the weights alone (<c>.weights.h5</c>).</summary>
    public bool SaveWeightsOnly { get; } = saveWeightsOnly;

    /// <summary><c>auto</c>, <c>min</c> or <c>max</c>.</summary>
    public string Mode { get; } = mode;

    /// <summary>A value the first saved one must beat, or null.</summary>
    public double? InitialValueThreshold { get; } = initialValueThreshold;

    /// <summary>The paths saved so far, in order.</summary>
    public List<string> Saved { get; } = [];

    /// <inheritdoc />
    public override void OnTrainBegin()
    {
        maximize = MonitorMode.Maximize(Monitor, Mode);
        best = InitialValueThreshold ?? (maximize ? double.NegativeInfinity : double.PositiveInfinity);
        if (SaveWeightsOnly != FilePath.EndsWith(".weights.h5", StringComparison.Ordinal))
            throw new ArgumentException(SaveWeightsOnly
                ? $"with saveWeightsOnly the path must end in .weights.h5, got '{FilePath}'"
                : $"a whole-model checkpoint needs a model path (e.g. .keras), got '{FilePath}'; use saveWeightsOnly for .weights.h5");
    }

    /// <inheritdoc />
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        if (SaveBestOnly)
        {
            if (!logs.TryGetValue(Monitor, out var current)) return;
            if (!(maximize ? current > best : current < best)) return;
            best = current;
        }
        var path = Format(FilePath, epoch + 1, logs);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder) Directory.CreateDirectory(folder);
        if (SaveWeightsOnly) Model!.SaveWeights(path);
        else Model!.Save(path);
        Saved.Add(path);
    }

    /// <summary>Fills Python format fields (<c>{epoch:02d}</c>, <c>{val_loss:.4f}</c>, <c>{loss:.2e}</c>, <c>{epoch}</c>).</summary>
    internal static string Format(string pattern, int epoch, IReadOnlyDictionary<string, double> logs) => Field().Replace(pattern, m =>
    {
        var name = m.Groups["name"].Value;
        var spec = m.Groups["spec"].Success ? m.Groups["spec"].Value : "";
        double value = name == "epoch" ? epoch
            : logs.TryGetValue(name, out var v) ? v
            : throw new KerasPortException($"checkpoint path '{pattern}' names '{name}', which the logs do not have ({string.Join(", ", logs.Keys)})");
        if (spec.Length == 0) return name == "epoch" ? epoch.ToString(CultureInfo.InvariantCulture) : value.ToString("R", CultureInfo.InvariantCulture);
        var kind = spec[^1];
        var digits = Digits().Match(spec);
        int precision = digits.Groups["precision"].Success ? int.Parse(digits.Groups["precision"].Value, CultureInfo.InvariantCulture) : 6;
        int width = digits.Groups["width"].Success ? int.Parse(digits.Groups["width"].Value, CultureInfo.InvariantCulture) : 0;
        bool zeroPad = digits.Groups["zero"].Success;
        var text = kind switch
        {
            'd' => ((long)value).ToString(CultureInfo.InvariantCulture),
            'f' => value.ToString("F" + precision, CultureInfo.InvariantCulture),
            'e' => value.ToString((precision == 0 ? "0" : "0." + new string('0', precision)) + "e+00", CultureInfo.InvariantCulture),
            _ => value.ToString(CultureInfo.InvariantCulture),
        };
        return zeroPad ? (text.StartsWith('-') ? "-" + text[1..].PadLeft(width - 1, '0') : text.PadLeft(width, '0')) : text.PadLeft(width);
    });

    [GeneratedRegex(@"\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::(?<spec>[^}]*))?\}")]
    private static partial Regex Field();

    [GeneratedRegex(@"^(?<zero>0)?(?<width>[1-9][0-9]*)?(?:\.(?<precision>[0-9]+))?")]
    private static partial Regex Digits();
}
