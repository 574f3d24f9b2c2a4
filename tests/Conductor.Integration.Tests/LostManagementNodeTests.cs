using Microsoft.Extensions.DependencyInjection;
using Conductor.Integration.Tests.Federation;
using Conductor.Silo.Tenant.Federation;
using Conductor.TestSupport.Network;

namespace Conductor.Integration.Tests;

/// <summary>
/// The node under management's replica vanishes without closing its sockets (no FIN, no RST: a lost node, not a
/// killed process). The tenant heartbeats at the production 30 s, so only the HTTP/2 keep-alive ping can notice; it
/// drops the dead connection, redials through the same endpoint and carries on delivering audit.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class LostManagementNodeTests(FederationFixture fixture) : IClassFixture<FederationFixture>, IAsyncLifetime
{
    private readonly Topology _topology = new(fixture);
    private TcpForwarder? _forwarder;

    public ValueTask InitializeAsync() => new(_topology.StartAsync(tenants: 1, prefix: "lost", t =>
    {
        _forwarder ??= new TcpForwarder(_topology.Management.Port);
        t.Endpoint = _forwarder.Endpoint;
        t.ConfigureServices = services => services.Configure<FederationClientOptions>(o => o.HeartBeatInterval = TimeSpan.FromSeconds(30));
    }));

    public async ValueTask DisposeAsync()
    {
        await _topology.DisposeAsync();
        if (_forwarder is { } forwarder)
        {
            await forwarder.DisposeAsync();
        }
    }

    [Fact]
    public async Task ConnectionGoesSilent_KeepAlivePingDropsItAndTenantRedials_AuditFlowsAgain()
    {
        var tenant = _topology.Tenants[0];
        var first = tenant.Channel.Live;
        Assert.NotNull(first);

        _forwarder!.FreezeOpenConnections();

        // Twice the 3 s ping plus a redial is well inside the cap; the 30 s heartbeats (or the keep-alive the client
        // had before, tied to them) would take a minute.
        await Eventually.TrueAsync(() => tenant.Channel.Live is { } live && !ReferenceEquals(live, first), "a new live stream after the silent connection",
            TimeSpan.FromSeconds(25));
        var sequence = await tenant.RecordAsync(1);
        await Eventually.TrueAsync(() => tenant.Wal.AckedSequence >= sequence, "audit acknowledged on the new stream");
        Assert.Contains(_topology.Logs.Entries, e => e.EventId.Name == "LogLive" && e.Message.Contains(tenant.ClusterId, StringComparison.Ordinal));
    }
}
