using Conductor.Grains.Federation.Storage;
using Conductor.TestSupport.Logging;
using Microsoft.Extensions.Logging;

namespace Conductor.Integration.Tests.Federation;

/// <summary>A management agent and tenants for one test, with their RunnerConfigs on both clusters.</summary>
public sealed class Topology(FederationFixture fixture) : IAsyncDisposable
{
    // Orleans logs this when the only silo stops and its activations have nowhere to migrate.
    private readonly HashSet<string> _expectedErrors = new(StringComparer.Ordinal) { "LogErrorSelectingMigrationDestination" };

    public RecordingLoggerProvider Logs { get; } = new();

    public ManagementAgent Management { get; private set; } = null!;

    public List<TenantAgent> Tenants { get; } = [];

    public static string NewClusterId(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    public async Task StartAsync(int tenants, string prefix, Action<TenantAgent>? configure = null)
    {
        Management = new ManagementAgent(fixture, Logs);
        await Management.StartAsync();
        for (var i = 0; i < tenants; i++)
        {
            var tenant = new TenantAgent(fixture, Management, NewClusterId($"{prefix}{i}"), Logs);
            tenant.Namespace = await fixture.CreateTenantNamespaceAsync();
            configure?.Invoke(tenant);
            await FederationFixture.CreateRunnerConfigAsync(fixture.Management, fixture.ManagementNamespace, tenant.ClusterId);
            await FederationFixture.CreateRunnerConfigAsync(fixture.Tenant, tenant.Namespace, tenant.ClusterId);
            Tenants.Add(tenant);
        }

        await Task.WhenAll(Tenants.Select(t => t.StartAsync()));
        await Task.WhenAll(Tenants.Select(WaitLiveAsync));
    }

    /// <summary>Waits until the tenant's stream is live; on timeout the failure carries the warnings logged.</summary>
    public async Task WaitLiveAsync(TenantAgent tenant)
    {
        try
        {
            await Eventually.TrueAsync(() => tenant.Channel.Live is not null && !tenant.Channel.Degraded, $"tenant {tenant.ClusterId} live");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\nLogs:\n" + string.Join('\n', Logs.Entries
                .Where(l => l.Category.StartsWith("Conductor", StringComparison.Ordinal) || l.Level >= LogLevel.Warning).TakeLast(60)
                .Select(l => $"{l.Level} {l.EventId.Name}: {l.Message} {l.Exception?.GetType().Name} {l.Exception?.Message}")), e);
        }
    }

    public AuditChunkStore Store(TenantAgent tenant) => new(fixture.Management, fixture.ManagementNamespace, tenant.ClusterId, tenant.Replica);

    /// <summary>An error log with this event name is part of the scenario, not a failure.</summary>
    public void ExpectError(string eventName) => _expectedErrors.Add(eventName);

    public async ValueTask DisposeAsync()
    {
        foreach (var tenant in Tenants)
        {
            await tenant.DisposeAsync();
        }

        await Management.DisposeAsync();
        var unexpected = Logs.Entries
            .Where(e => e.Level >= LogLevel.Error && !_expectedErrors.Contains(e.EventId.Name ?? ""))
            .Select(e => $"{e.Category} {e.EventId.Name}: {e.Message} {e.Exception}")
            .ToList();
        Assert.True(unexpected.Count == 0, "Unexpected error logs:\n" + string.Join('\n', unexpected));
    }
}
