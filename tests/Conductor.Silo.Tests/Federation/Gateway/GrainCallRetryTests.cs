using System.Reflection;
using Conductor.Silo.Federation.Gateway;
using Conductor.TestSupport.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Tests.Federation.Gateway;

public sealed class GrainCallRetryTests
{
    private readonly RecordingLoggerProvider _logs = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_SiloUnavailableTwiceThenAnswer_ReturnsAnswerAfterTwoRetriesLoggedWithClusterId()
    {
        var attempts = 0;

        var answer = await Retry().RunAsync(() => ++attempts <= 2 ? throw new SiloUnavailableException("silo S1 is not active") : Task.FromResult(42UL),
            "ccs-dev", "IAuditSinkGrain.GetHighWaterMark", Ct);

        Assert.Equal(42UL, answer);
        Assert.Equal(3, attempts);
        var retries = Retries();
        Assert.Equal(2, retries.Count);
        Assert.All(retries, r => Assert.Contains("cluster ccs-dev", r.Message, StringComparison.Ordinal));
        Assert.Contains("silo S1 is not active", retries[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MessageRejected_Retried()
    {
        var attempts = 0;

        await Retry().RunAsync(() => ++attempts == 1 ? throw Rejection("forwarding failed") : Task.CompletedTask,
            "ccs-dev", "ITenantSessionGrain.HeartBeatReceived", Ct);

        Assert.Equal(2, attempts);
        Assert.Single(Retries());
    }

    [Fact]
    public async Task RunAsync_NonTransientFailure_ThrownWithoutRetry()
    {
        var attempts = 0;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Retry().RunAsync(
            () => { attempts++; throw new InvalidOperationException("the grain refused"); }, "ccs-dev", "ITenantSessionGrain.Connect", Ct));

        Assert.Equal("the grain refused", error.Message);
        Assert.Equal(1, attempts);
        Assert.Empty(Retries());
    }

    [Fact]
    public async Task RunAsync_RefusedPastBudget_ThrowsLastRefusalAfterWaitingAtMostTheBudget()
    {
        var attempts = 0;
        var retry = Retry(delay: TimeSpan.FromMilliseconds(1), budget: TimeSpan.FromMilliseconds(10));

        var error = await Assert.ThrowsAsync<SiloUnavailableException>(() => retry.RunAsync(
            () => throw new SiloUnavailableException($"attempt {++attempts}"), "ccs-dev", "IAuditSinkGrain.Store", Ct));

        // Waits of 1, 2, 4 and then the 3 ms left: four retries, ten milliseconds in all.
        Assert.Equal(5, attempts);
        Assert.Equal("attempt 5", error.Message);
        Assert.Equal(["1", "2", "4", "3"], Retries().Select(r => r.Message.Split(" in ")[1].Split(' ')[0]));
    }

    [Fact]
    public async Task RunAsync_NoBudget_RefusalThrownAtOnce()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<SiloUnavailableException>(() => Retry(budget: TimeSpan.Zero).RunAsync(
            () => { attempts++; throw new SiloUnavailableException(); }, "ccs-dev", "ITenantSessionGrain.Connect", Ct));

        Assert.Equal(1, attempts);
    }

    /// <summary>The runtime's own refusal, whose constructors Orleans keeps internal.</summary>
    private static OrleansMessageRejectionException Rejection(string message) =>
        (OrleansMessageRejectionException)Activator.CreateInstance(typeof(OrleansMessageRejectionException),
            BindingFlags.NonPublic | BindingFlags.Instance, null, [message], null)!;

    private List<RecordedLog> Retries() => [.. _logs.Entries.Where(e => e.EventId.Name == "LogRetrying")];

    private GrainCallRetry Retry(TimeSpan? delay = null, TimeSpan? budget = null) => new(
        Options.Create(new FederationGatewayOptions
        {
            GrainCallRetryDelay = delay ?? TimeSpan.FromMilliseconds(1),
            GrainCallRetryBudget = budget ?? TimeSpan.FromSeconds(10),
        }),
        TimeProvider.System, _logs.CreateLogger<GrainCallRetry>());
}
