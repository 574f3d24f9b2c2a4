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
        Assert.Equal(Initial * 2, backoff.NextAfter(wasLive: false));
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
    public void Defaults_ThreeFailedAttemptsAfterASiloCrash_WaitAtMostThreeAndAHalfSecondsInAll()
    {
        // A killed silo's tenants may fail twice on a survivor before the cluster declares it dead (~3-5 s); the
        // delays before the third attempt must leave room in the 10 s failover target for that attempt itself.
        var options = new FederationClientOptions();
        var backoff = new ReconnectBackoff(options.ReconnectInitialDelay, options.ReconnectMaxDelay, new FixedRandom(1.0));

        var waited = backoff.NextAfter(wasLive: true) + backoff.NextAfter(wasLive: false) + backoff.NextAfter(wasLive: false);

        Assert.Equal(TimeSpan.FromMilliseconds(3500), waited);
    }

    /// <summary>Jitter pinned to one end of its range.</summary>
    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;

        protected override double Sample() => value;
    }
}
