using System.Runtime.CompilerServices;

namespace KerasPort.Tests;

/// <summary>
/// Fixes the intra-op thread count for every model the tests create (and every kerasport process they start), unless
/// the environment already does: by default each call chooses its team size, and xunit's parallel test classes would
/// make two predictions that tests compare bit for bit run on different team sizes. The tests of the choice itself
/// ask for it explicitly (<c>KerasModelOptions.ChooseThreadsPerCall</c>, or IntraOpThreads directly).
/// </summary>
static class PinnedThreads
{
    [ModuleInitializer]
    internal static void Pin()
    {
        if (IntraOpThreads.FromEnvironment() is null)
            Environment.SetEnvironmentVariable(IntraOpThreads.EnvironmentVariables[0], Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
