using System.Diagnostics.CodeAnalysis;
using Xunit.Sdk;

namespace KerasPort.Tests;

/// <summary>
/// The one way a test asks for data that lives beside the repository in <c>../shared</c> (golden cases, the corpus,
/// training runs, real Keras). Where it is absent the test is skipped with a reason that names the folder and the
/// variable to set; with <c>KERASPORT_REQUIRE_SHARED=1</c> (as CI sets it) the absence is a failure instead.
/// </summary>
public static class SharedData
{
    /// <summary>The variable that turns every skip for missing shared data into a failure.</summary>
    public const string RequireVariable = "KERASPORT_REQUIRE_SHARED";

    /// <summary>Every skip reason for missing shared data starts with this, so a run can count them.</summary>
    public const string SkipPrefix = "needs shared data:";

    /// <summary>True when missing shared data must fail the test (<c>KERASPORT_REQUIRE_SHARED=1</c>).</summary>
    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) is "1" or "true";

    /// <summary>The golden cases folder; skips the test when it is absent.</summary>
    public static string Golden => Need(TestPaths.Golden, "KERASPORT_GOLDEN");

    /// <summary>The golden training runs folder; skips the test when it is absent.</summary>
    public static string GoldenTraining => Need(TestPaths.GoldenTraining, "KERASPORT_GOLDEN_TRAINING");

    /// <summary>The model corpus folder; skips the test when it is absent.</summary>
    public static string Corpus => Need(TestPaths.Corpus, "KERASPORT_CORPUS");

    /// <summary>The real Keras folder (<c>../shared/keras3</c>); skips the test when it is absent.</summary>
    public static string Keras3 => Need(TestPaths.Keras3, "KERASPORT_KERAS3");

    /// <summary>A file or folder under the golden cases folder; skips the test when it is absent.</summary>
    public static string GoldenPath(params string[] parts) => Need(Path.Combine([Golden, .. parts]), "KERASPORT_GOLDEN");

    /// <summary>A file or folder under the golden training runs folder; skips the test when it is absent.</summary>
    public static string GoldenTrainingPath(params string[] parts) => Need(Path.Combine([GoldenTraining, .. parts]), "KERASPORT_GOLDEN_TRAINING");

    /// <summary>A file or folder under the model corpus folder; skips the test when it is absent.</summary>
    public static string CorpusPath(params string[] parts) => Need(Path.Combine([Corpus, .. parts]), "KERASPORT_CORPUS");

    /// <summary>
    /// What a theory over the contents of a shared folder gets in place of its rows where the folder is absent: one row
    /// whose test then skips through this class (or fails in CI) where an empty theory would fail with "No data found".
    /// </summary>
    public const string AbsentRow = "(shared data absent)";

    /// <summary>The rows <paramref name="rows"/> makes from <paramref name="folder"/>, or one <see cref="AbsentRow"/> where the folder is absent.</summary>
    public static TheoryData<string> Rows(string folder, Func<string, IEnumerable<string>> rows)
    {
        var data = new TheoryData<string>();
        foreach (var row in Directory.Exists(folder) ? rows(folder) : [AbsentRow]) data.Add(row);
        return data;
    }

    /// <summary>The two-column rows <paramref name="rows"/> makes from <paramref name="folder"/>, or one <see cref="AbsentRow"/> row where the folder is absent.</summary>
    public static TheoryData<string, string> Rows(string folder, Func<string, IEnumerable<(string, string)>> rows)
    {
        var data = new TheoryData<string, string>();
        foreach (var (first, second) in Directory.Exists(folder) ? rows(folder) : [(AbsentRow, AbsentRow)]) data.Add(first, second);
        return data;
    }

    /// <summary><paramref name="path"/> (a file or folder under a shared folder) if it exists; otherwise skips, naming <paramref name="variable"/>.</summary>
    public static string Need(string path, string variable) =>
        Directory.Exists(path) || File.Exists(path)
            ? path
            : Missing($"{path} is absent (put the shared data beside the repository as ../shared, or set {variable})");

    /// <summary>Skips the test for missing shared data (fails it under <see cref="RequireVariable"/>).</summary>
    [DoesNotReturn]
    public static string Missing(string what)
    {
        if (Required) throw new XunitException($"{what}; {RequireVariable}=1 makes missing shared data a failure");
        throw new Xunit.SkipException($"{SkipPrefix} {what}");
    }
}
