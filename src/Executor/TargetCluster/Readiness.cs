using System.Text.Json;
using Conductor.Executor.JobEnvironment;
using Conductor.Executor.Runs;
using Conductor.Resources.Dispatcher;
using Conductor.Runner.Results;

namespace Conductor.Executor.TargetCluster;

/// <summary>
/// Waits until applied objects are ready: a Deployment reports condition Available=True, a StatefulSet has as many
/// ready replicas as it asks for (default 1), a CustomResourceDefinition is Established. Every other kind is ready once
/// applied. Polls the target, bounded by a timeout; a timeout fails naming every object still not ready and why.
/// </summary>
public sealed class Readiness(ServerSideApplier applier, TimeProvider time)
{
    /// <summary>How often the target is asked again while something is not ready.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Whether <paramref name="resource"/> is a kind whose readiness is checked.</summary>
    public static bool IsWatched(DeployedResource resource) => resource.Kind is "Deployment" or "StatefulSet" or "CustomResourceDefinition";

    /// <summary>
    /// Waits until every watched object in <paramref name="resources"/> is ready or <paramref name="deadline"/> passes;
    /// <paramref name="timeout"/> is the configured budget the deadline came from, named in the failure.
    /// </summary>
    public async Task WaitAsync(IReadOnlyCollection<DeployedResource> resources, DateTimeOffset deadline, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var pending = resources.Where(IsWatched).ToList();
        var reasons = new Dictionary<DeployedResource, string>();
        while (true)
        {
            reasons.Clear();
            foreach (var resource in pending)
            {
                var observed = await applier.GetAsync(resource, cancellationToken);
                if (NotReadyReason(resource, observed) is { } reason)
                {
                    reasons[resource] = reason;
                }
            }
            pending.RemoveAll(r => !reasons.ContainsKey(r));
            if (pending.Count == 0)
            {
                return;
            }
            if (time.GetUtcNow() >= deadline)
            {
                throw new CapabilityFailureException(FailureCategory.ExecutionFailure,
                    $"not ready within the {timeout.TotalSeconds:0.###} s readiness timeout ({ExecutorOptions.ReadyTimeoutEnvVar}): " +
                    string.Join("; ", pending.Select(r => $"{ServerSideApplier.Describe(r)} {reasons[r]}")));
            }
            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    /// <summary>Why the observed object is not ready yet, or null when it is.</summary>
    public static string? NotReadyReason(DeployedResource resource, JsonElement? observed)
    {
        if (observed is not { } item)
        {
            return "does not exist";
        }
        var status = item.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        switch (resource.Kind)
        {
            case "Deployment":
                return ConditionTrue(status, "Available") ? null : "has no condition Available=True";
            case "StatefulSet":
                var wanted = item.TryGetProperty("spec", out var spec) && spec.TryGetProperty("replicas", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt32() : 1;
                var ready = status.ValueKind == JsonValueKind.Object && status.TryGetProperty("readyReplicas", out var rr) && rr.ValueKind == JsonValueKind.Number ? rr.GetInt32() : 0;
                return ready >= wanted ? null : $"has {ready} of {wanted} replicas ready";
            case "CustomResourceDefinition":
                return ConditionTrue(status, "Established") ? null : "is not Established";
            default:
                return null;
        }
    }

    private static bool ConditionTrue(JsonElement status, string type) =>
        status.ValueKind == JsonValueKind.Object
        && status.TryGetProperty("conditions", out var conditions) && conditions.ValueKind == JsonValueKind.Array
        && conditions.EnumerateArray().Any(c =>
            c.TryGetProperty("type", out var t) && t.GetString() == type && c.TryGetProperty("status", out var v) && v.GetString() == "True");
}
