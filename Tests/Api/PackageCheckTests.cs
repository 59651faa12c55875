using System.Diagnostics;

namespace KerasPort.Tests.Api;

/// <summary>
/// Runs tools/check-package.sh (pack KerasPort, build a fresh console app against it, reproduce a golden model).
/// It takes about half a minute with a warm NuGet cache and needs the NuGet sources for TorchSharp, so it runs only
/// when KERASPORT_PACKAGE_CHECK=1; CI can select or skip it by its trait.
/// </summary>
public sealed class PackageCheckTests
{
    [SkippableFact]
    [Trait("Category", "Package")]
    public void FreshConsoleAppReproducesAGoldenModelFromThePackage()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("KERASPORT_PACKAGE_CHECK") == "1", "set KERASPORT_PACKAGE_CHECK=1 to pack and check the KerasPort package");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(TestPaths.RepoRoot, "tools", "check-package.sh"));
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(10)), "check-package.sh did not finish in 10 minutes");
        Assert.True(process.ExitCode == 0, stdout.Result + stderr.Result);
        Assert.Contains("PASS max abs error", stdout.Result);
    }
}
