using static TorchSharp.torch;

namespace KerasPort.Tests.Runtime;

/// <summary>
/// The per-call intra-op team size: a fixed count is used as given, the default follows measured latency, and
/// concurrent calls split the cores. The "work" here reads the team size libtorch would use on the calling thread and
/// sleeps for a time that depends on it, so which choice is faster is known.
/// </summary>
public sealed class IntraOpThreadsTests
{
    [Fact]
    public void AFixedCountIsSetOnTheCallingThread()
    {
        var threads = new IntraOpThreads(fixedThreads: 3);
        Assert.Equal(3, threads.Run(1, get_num_threads));
        Assert.Equal(1, new IntraOpThreads(fixedThreads: 1).Run(1, get_num_threads));
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheDefaultSettlesOnTheFasterChoice(bool teamIsFaster)
    {
        var sizes = TeamSizes(40, (team, _) => team > 1 == teamIsFaster ? 1 : 100);

        // After the six warm-up calls, only the probe (two calls) every 16th call or less often takes the slower choice.
        var settled = sizes.Skip(6).ToList();
        int faster = settled.Count(team => team > 1 == teamIsFaster);
        Assert.True(faster >= settled.Count - 4, $"team sizes per call: {string.Join(" ", sizes)}");
        Assert.All(sizes, team => Assert.True(team == 1 || team == Environment.ProcessorCount, $"team size {team}"));
    }

    [SkippableFact]
    public void OneSlowCallOfTheTeamDoesNotHandItsCallsToOneThread()
    {
        // The team takes 2 ms, except once, as when the machine took a core away for a moment; one thread 20 ms.
        var sizes = TeamSizes(40, (team, teamCall) => team == 1 ? 20 : teamCall == 6 ? 300 : 2);

        // Only the probes (two calls at 16, one at 32 while one thread stays far slower) run on one thread.
        var settled = sizes.Skip(6).ToList();
        Assert.True(settled.Count(team => team == 1) <= 3, $"team sizes per call: {string.Join(" ", sizes)}");
    }

    [SkippableFact]
    public void OnceOnOneThreadATeamThatIsNotFasterDoesNotComeBack()
    {
        // The team is slow during warm-up, then 1.2x one thread's time: within the band where a settled choice stays.
        var sizes = TeamSizes(50, (team, teamCall) => team == 1 ? 25 : teamCall <= 3 ? 100 : 30);

        // Only the probes (two calls at 16, 32 and 48) run on the team once one thread has taken over.
        var settled = sizes.Skip(6).ToList();
        Assert.True(settled.Count(team => team > 1) <= 6, $"team sizes per call: {string.Join(" ", sizes)}");
    }

    [SkippableFact]
    public void AChoiceThatStaysFarSlowerIsProbedLessAndLessOften()
    {
        var sizes = TeamSizes(120, (team, _) => team > 1 ? 1 : 10);

        // Probes at 16 (two calls), then at 32 and 64, one call each while one thread stays far slower; a fixed
        // interval of 16 with two-call probes would have made 14 calls on one thread.
        var probeCalls = sizes.Skip(6).Count(team => team == 1);
        Assert.True(probeCalls <= 4, $"team sizes per call: {string.Join(" ", sizes)}");
    }

    [SkippableFact]
    public void AProbeIsMeasuredPastItsFirstCall()
    {
        // The team is slow during warm-up, so one thread (15 ms) settles first. Later the team takes 10 ms, but 30 ms on
        // its first call after one thread (its threads wake up, the other core's caches are cold): a probe measured by
        // that call alone would never let the team back.
        int previous = 1;
        var sizes = TeamSizes(60, (team, teamCall) =>
        {
            int milliseconds = team == 1 ? 15 : teamCall <= 3 ? 100 : previous == 1 ? 30 : 10;
            previous = team;
            return milliseconds;
        });

        Assert.True(sizes.TakeLast(20).Count(team => team > 1) >= 18, $"team sizes per call: {string.Join(" ", sizes)}");
    }

    [SkippableFact]
    public void ACallThatStartsWhileAnotherRunsTakesOnlyItsShareOfTheCores()
    {
        Skip.If(Environment.ProcessorCount != 2, $"the expected share is written for 2 cores; this machine has {Environment.ProcessorCount}");
        var threads = new IntraOpThreads(fixedThreads: null);
        using var firstInside = new ManualResetEventSlim();
        using var secondDone = new ManualResetEventSlim();
        var first = Task.Run(() => threads.Run(1, () =>
        {
            firstInside.Set();
            return secondDone.Wait(TimeSpan.FromSeconds(30));
        }));
        Assert.True(firstInside.Wait(TimeSpan.FromSeconds(30)));
        int secondTeam = threads.Run(1, get_num_threads);
        secondDone.Set();
        Assert.True(first.Wait(TimeSpan.FromSeconds(30)) && first.Result);
        Assert.Equal(1, secondTeam);
    }

    /// <summary>
    /// The team size of each of <paramref name="calls"/> calls through one default (per-call) choice, where a call's
    /// work sleeps <paramref name="milliseconds"/>(its team size, how many team calls there have been so far).
    /// </summary>
    static List<int> TeamSizes(int calls, Func<int, int, int> milliseconds)
    {
        Skip.If(Environment.ProcessorCount < 2, "a team needs at least 2 cores; this machine has 1");
        var threads = new IntraOpThreads(fixedThreads: null);
        int teamCalls = 0;
        return Enumerable.Range(0, calls).Select(_ => threads.Run(1, () =>
        {
            int team = get_num_threads();
            if (team > 1) teamCalls++;
            Thread.Sleep(milliseconds(team, teamCalls));
            return team;
        })).ToList();
    }

    [Fact]
    public void PredictionsCountTheirChoices()
    {
        using var model = KerasModel.Load(Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "core", "reshape_permute_flatten", "model.keras"));
        long[] shape = [1, .. model.Inputs[0].Shape!.Skip(1).Select(d => (long)(d ?? 1))];
        var input = NdArray.Of(new float[shape.Aggregate(1L, (n, d) => n * d)], shape);
        for (int i = 0; i < 5; i++) model.Predict(input);
        var (single, team) = model.ThreadChoices;
        Assert.Equal(5, single + team);
    }
}
