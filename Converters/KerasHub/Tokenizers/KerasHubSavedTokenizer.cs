using System.IO.Compression;
using System.Runtime.ExceptionServices;
using System.Text.Json;

namespace KerasPort.KerasHub;

/// <summary>
/// The tokenizer (and causal-LM preprocessor) saved with a KerasHub model, read by <see cref="Converters.KerasModelReader"/>
/// in the same pass as the model: a task's <c>config.preprocessor</c> with its <c>assets/preprocessor/tokenizer/</c>,
/// or a preset folder's <c>preprocessor.json</c> / <c>tokenizer.json</c> with <c>assets/tokenizer/</c>. A malformed or
/// unsupported one does not stop the model from loading: its error is kept and raised by <see cref="Files"/>, when a
/// caller asks for text.
/// </summary>
public sealed class KerasHubSavedTokenizer
{
    readonly KerasHubTokenizerFiles? _files;
    readonly KerasPortException? _error;

    KerasHubSavedTokenizer(string source, KerasHubTokenizerFiles? files, KerasPortException? error)
    {
        Source = source;
        _files = files;
        _error = error;
    }

    /// <summary>The model file or folder it was read from.</summary>
    public string Source { get; }

    /// <summary>The tokenizer's config, its preprocessor's (if any) and its vocabulary.</summary>
    /// <exception cref="KerasPortException">The saved tokenizer is malformed or unsupported (the error met while reading the model).</exception>
    public KerasHubTokenizerFiles Files
    {
        get
        {
            if (_error is not null) ExceptionDispatchInfo.Throw(_error);
            return _files!;
        }
    }

    /// <summary>The tokenizer of a task in an open <c>.keras</c> archive whose <c>config.json</c> is <paramref name="configText"/>, or null if it saved none.</summary>
    internal static KerasHubSavedTokenizer? FromArchive(ZipArchive zip, string path, string configText) =>
        Read(path, () => IsTaskWithPreprocessor(configText) is { } root ? KerasHubTokenizerFiles.FromArchive(zip, path, root) : null);

    /// <summary>
    /// The tokenizer of a folder: a preset's <c>preprocessor.json</c> or <c>tokenizer.json</c>, else that of the task
    /// whose <c>config.json</c> is <paramref name="configText"/> (an unzipped <c>.keras</c>); null if there is none.
    /// </summary>
    internal static KerasHubSavedTokenizer? FromFolder(string folder, string configText) =>
        Read(folder, () => KerasHubTokenizerFiles.ReadPreset(folder)
            ?? (IsTaskWithPreprocessor(configText) is { } root ? KerasHubTokenizerFiles.FromFolder(folder, root) : null));

    static KerasHubSavedTokenizer? Read(string source, Func<KerasHubTokenizerFiles?> read)
    {
        try { return read() is { } files ? new KerasHubSavedTokenizer(source, files, null) : null; }
        catch (KerasPortException e) { return new KerasHubSavedTokenizer(source, null, e); }
    }

    /// <summary>The config root when it is a KerasHub task saved with its preprocessor (<c>config.preprocessor</c> an object), else null.</summary>
    static JsonObject? IsTaskWithPreprocessor(string configText)
    {
        // The model reader has accepted the text already; one it reads only after quoting NaN/Infinity has no tokenizer here.
        try { return KerasConfigReader.ParseJson(configText) is JsonObject { } root && root["config"]?["preprocessor"] is JsonObject ? root : null; }
        catch (JsonException) { return null; }
    }
}
