using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Conductor.Silo.Health;

/// <summary>Healthy once every registered watch has delivered its first list; otherwise names those still waiting.</summary>
internal sealed class WatchesSyncedCheck(WatchReadiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var watches = readiness.Snapshot();
        var waiting = watches.Where(w => !w.Synced).ToList();
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var w in watches)
        {
            // Two watches of the same source keep separate entries.
            var key = w.Name;
            for (var n = 2; data.ContainsKey(key); n++)
            {
                key = $"{w.Name} #{n}";
            }
            data[key] = w.Synced ? "synced" : w.LastError is { } error ? $"not synced: {error}" : "not synced: listing";
        }
        if (waiting.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"{watches.Count} watches synced", data));
        }
        var names = string.Join("; ", waiting.Select(w => w.LastError is { } error ? $"{w.Name} ({error})" : w.Name));
        return Task.FromResult(HealthCheckResult.Unhealthy($"waiting for the first list of: {names}", data: data));
    }
}
