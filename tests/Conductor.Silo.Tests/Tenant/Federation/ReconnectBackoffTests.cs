using Conductor.Silo.Tenant.Federation;

namespace Conductor.Silo.Tests.Tenant.Federation;

public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(60);

    [Fact]
    public void NextAfter_LiveStreamLostAfterEscalatedFailures_StartsFromInitialAgain()
    {
        var backoff = new ReconnectBackoff(Initial, Max, new FixedRandom(1.0));
        for (var i = 0; i < 8; i++)
        {
            backoff.Next(); // management unreachable while the agent starts: up to the cap
        }

        Assert.Equal(Max, backoff.Next());
        Assert.Equal(Initial, backoff.NextAfter(wasLive: true));
    }

    [Fact]
    public void NextAfter_LiveStreamLost_StaysAtInitialForTheSteadyAttemptsThenDoubles()
    {
        var backoff = new ReconnectBackoff(Initial, Max, new FixedRandom(1.0));

        var delays = new List<TimeSpan> { backoff.NextAfter(wasLive: true) };
        delays.AddRange(Enumerable.Range(0, ReconnectBackoff.SteadyAttemptsAfterLiveStream + 1).Select(_ => backoff.NextAfter(wasLive: false)));

        Assert.All(delays.Take(ReconnectBackoff.SteadyAttemptsAfterLiveStream), d => Assert.Equal(Initial, d));
        Assert.Equal([Initial * 2, Initial * 4], delays.Skip(ReconnectBackoff.SteadyAttemptsAfterLiveStream));
    }

    [Fact]
    public void NextAfter_StreamEndedBeforeManagementWasHeard_KeepsEscalating()
    {
        var backoff = new ReconnectBackoff(Initial, Max, new FixedRandom(1.0));

        var delays = Enumerable.Range(0, 4).Select(_ => backoff.NextAfter(wasLive: false)).ToList();

        Assert.Equal([Initial, Initial * 2, Initial * 4, Initial * 8], delays);
    }

    [Fact]
    public void Next_Jitter_StaysBetweenHalfAndAllOfTheCeiling()
    {
        var low = new ReconnectBackoff(Initial, Max, new FixedRandom(0.0));
        var high = new ReconnectBackoff(Initial, Max, new FixedRandom(1.0));

        Assert.Equal(Initial / 2, low.Next());
        Assert.Equal(Initial, high.Next());
    }

    [Fact]
    public void Defaults_LiveStreamLost_RetriesAtMostEveryHalfSecondForFourSeconds()
    {
        // A killed silo's tenants fail on a survivor until the cluster declares it dead (~3-5 s); they must keep
        // retrying often through that window instead of doubling past the 10 s failover target.
        var options = new FederationClientOptions();
        var backoff = new ReconnectBackoff(options.ReconnectInitialDelay, options.ReconnectMaxDelay, new FixedRandom(1.0));

        var steady = new List<TimeSpan> { backoff.NextAfter(wasLive: true) };
        steady.AddRange(Enumerable.Range(1, ReconnectBackoff.SteadyAttemptsAfterLiveStream - 1).Select(_ => backoff.NextAfter(wasLive: false)));

        Assert.All(steady, d => Assert.Equal(TimeSpan.FromMilliseconds(500), d));
        Assert.Equal(TimeSpan.FromSeconds(4), steady.Aggregate(TimeSpan.Zero, (a, b) => a + b));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.NextAfter(wasLive: false));
    }

    /// <summary>Jitter pinned to one end of its range.</summary>
    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;

        protected override double Sample() => value;
    }
}
