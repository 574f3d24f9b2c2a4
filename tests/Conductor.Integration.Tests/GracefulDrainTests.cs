using System.Collections.Concurrent;
using Conductor.Integration.Tests.Federation;
using Conductor.TestSupport.Network;

namespace Conductor.Integration.Tests;

/// <summary>
/// A management replica stops gracefully while a tenant streams audit events: the gateway drains (stores and
/// acknowledges what it read, then closes the stream with OK), the tenant reconnects at once through the same
/// endpoint to a second replica, and every event is stored exactly once.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class GracefulDrainTests(FederationFixture fixture) : IClassFixture<FederationFixture>, IAsyncLifetime
{
    private readonly Topology _topology = new(fixture);
    private TcpForwarder? _forwarder;
    private ManagementAgent? _second;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => new(_topology.StartAsync(tenants: 1, prefix: "drain", t =>
    {
        _forwarder ??= new TcpForwarder(_topology.Management.Port);
        t.Endpoint = _forwarder.Endpoint;
        t.BatchMaxEvents = 10;
        // Far beyond the test's cap: only a reconnect without backing off can reach the second replica in time.
        t.ReconnectInitialDelay = TimeSpan.FromMinutes(10);
    }));

    public async ValueTask DisposeAsync()
    {
        await _topology.DisposeAsync();
        if (_second is { } second)
        {
            await second.DisposeAsync();
        }

        if (_forwarder is { } forwarder)
        {
            await forwarder.DisposeAsync();
        }
    }

    [Fact]
    public async Task FirstReplicaStopsGracefully_TenantReconnectsToSecondAtOnce_NothingLostOrDuplicated()
    {
        var tenant = _topology.Tenants[0];
        _second = new ManagementAgent(fixture, _topology.Logs);
        await _second.StartAsync();
        var durable = new ConcurrentDictionary<ulong, string>();
        using var stop = new CancellationTokenSource();
        var recorder = Task.Run(() => tenant.RecordUntilAsync(durable, stop.Token), Ct);
        await Eventually.TrueAsync(() => tenant.Wal.AckedSequence >= 30, "audit flowing to the first replica");

        _forwarder!.Target = _second.Port;
        var logsBeforeStop = _topology.Logs.Entries.Count;
        await _topology.Management.StopAsync();
        try
        {
            await Eventually.MatchAsync(() => _second.SessionAsync(tenant.ClusterId), s => s.Connected, "the tenant's stream on the second replica");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\nLogs since the stop:\n" + string.Join('\n', _topology.Logs.Entries.Skip(logsBeforeStop)
                .Where(l => l.Category.StartsWith("Conductor", StringComparison.Ordinal) || l.Level >= Microsoft.Extensions.Logging.LogLevel.Warning)
                .Take(80).Select(l => $"{l.Level} {l.Category} {l.EventId.Name}: {l.Message} {l.Exception?.GetType().Name} {l.Exception?.Message}")), e);
        }
        var ackedOnFirst = tenant.Wal.AckedSequence;
        await Eventually.TrueAsync(() => tenant.Wal.AckedSequence >= ackedOnFirst + 30, "audit flowing to the second replica");
        await stop.CancelAsync();
        await recorder;
        var last = tenant.Wal.LastSequence;
        await Eventually.TrueAsync(() => tenant.Wal.AckedSequence == last, "every event acknowledged");

        var afterStop = _topology.Logs.Entries.Skip(logsBeforeStop).ToList();
        DeliveryCheck.ExactlyOnce(await _topology.Store(tenant).ReadAllAsync(Ct), last, durable);
        Assert.Contains(afterStop, e => e.EventId.Name == "LogStreamDrained");
        Assert.Contains(afterStop, e => e.EventId.Name == "LogClosedCleanly");
        Assert.DoesNotContain(afterStop, e => e.EventId.Name is "LogStreamEnded" or "LogStoreFailed" or "LogDrainCut");
    }
}
