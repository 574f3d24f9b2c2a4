using System.Net;
using System.Net.Sockets;
using Conductor.Registry.Retry;
using Microsoft.Extensions.Time.Testing;

namespace Conductor.Registry.Tests.Retry;

public sealed class RetryPolicyTests
{
    private static RetryPolicy Policy(TimeProvider? time = null, double jitter = 1.0) =>
        new(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), time ?? new FakeTimeProvider(), () => jitter);

    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(3, 400)]
    [InlineData(4, 800)]
    [InlineData(5, 1000)]
    [InlineData(40, 1000)]
    public void DelayFor_FullJitter_DoublesUpToCap(int attempt, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Policy(jitter: 1.0).DelayFor(attempt));
    }

    [Fact]
    public void DelayFor_LowestJitter_HalfTheBackoff()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(200), Policy(jitter: 0).DelayFor(3));
    }

    [Fact]
    public void DelayFor_RetryAfterLongerThanCap_CappedAtMaxDelay()
    {
        var policy = Policy(jitter: 0);

        Assert.Equal(TimeSpan.FromMilliseconds(300), policy.DelayFor(1, TimeSpan.FromMilliseconds(300)));
        Assert.Equal(TimeSpan.FromSeconds(1), policy.DelayFor(1, TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public async Task DelayAsync_FakeClock_CompletesOnlyWhenTimeAdvances()
    {
        var time = new FakeTimeProvider();
        var delay = Policy(time, jitter: 0).DelayAsync(2, null, TestContext.Current.CancellationToken);

        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(delay.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.True(delay.IsCompletedSuccessfully);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.GatewayTimeout, true)]
    [InlineData(HttpStatusCode.InternalServerError, false)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.Forbidden, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    public void IsTransient_Status_OnlyOverloadAndGatewayErrors(HttpStatusCode status, bool transient)
    {
        Assert.Equal(transient, RetryPolicy.IsTransient(status));
    }

    [Fact]
    public void IsTransient_Exceptions_ConnectionFailuresAndTimeoutsOnly()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.True(RetryPolicy.IsTransient(new HttpRequestException("refused", new SocketException(111)), CancellationToken.None));
        Assert.True(RetryPolicy.IsTransient(new TaskCanceledException("timeout"), CancellationToken.None));
        Assert.False(RetryPolicy.IsTransient(new TaskCanceledException("caller"), cancelled.Token));
        Assert.False(RetryPolicy.IsTransient(new InvalidOperationException(), CancellationToken.None));
    }
}
