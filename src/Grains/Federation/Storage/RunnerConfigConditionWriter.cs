using System.Net;
using System.Text.Json;
using Conductor.Resources;
using Conductor.Resources.Seam;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Conductor.Grains.Federation.Storage;

/// <summary>
/// Sets one condition on a RunnerConfig's status: read, compare, and replace <c>/status</c> guarded by the
/// resourceVersion read, only when status or reason differ (no blind writes); a conflict re-reads and retries.
/// Used by management (the tenant's RunnerConfig on the management cluster) and by the tenant agent (its own).
/// </summary>
public sealed partial class RunnerConfigConditionWriter(IKubernetes kube, TimeProvider time, ILogger<RunnerConfigConditionWriter> logger)
{
    private const int MaxConflictRetries = 5;

    /// <summary>What became of the write.</summary>
    public enum Outcome
    {
        Written,
        Unchanged,
        RunnerConfigMissing,
    }

    public async Task<Outcome> SetAsync(
        string @namespace, string name, string type, bool status, string reason, string message, CancellationToken cancellationToken = default)
    {
        var statusText = status ? "True" : "False";
        for (var attempt = 0; ; attempt++)
        {
            RunnerConfig current;
            try
            {
                var raw = await kube.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(
                    SeamApi.Group, SeamApi.Version, @namespace, RunnerConfig.Plural, name, cancellationToken);
                current = KubernetesJson.Deserialize<RunnerConfig>(raw.GetRawText());
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                LogRunnerConfigMissing(logger, @namespace, name, type);
                return Outcome.RunnerConfigMissing;
            }

            var conditions = current.Status?.Conditions ?? [];
            var existing = conditions.FirstOrDefault(c => c.Type == type);
            if (existing is null ? !status : existing.Status == statusText && existing.Reason == reason)
            {
                return Outcome.Unchanged; // an absent condition already means False
            }

            var now = time.GetUtcNow().UtcDateTime;
            var updated = new V1Condition
            {
                Type = type,
                Status = statusText,
                Reason = reason,
                Message = message,
                LastTransitionTime = existing is not null && existing.Status == statusText ? existing.LastTransitionTime : now,
                ObservedGeneration = current.Metadata.Generation,
            };
            current.Status = (current.Status ?? new RunnerConfigStatus()) with
            {
                Conditions = [.. conditions.Where(c => c.Type != type), updated],
            };
            LogSetting(logger, RunnerConfig.KindName, @namespace, name, type, statusText, reason, current.Metadata.ResourceVersion);
            try
            {
                await kube.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<JsonElement>(
                    current, SeamApi.Group, SeamApi.Version, @namespace, RunnerConfig.Plural, name, cancellationToken: cancellationToken);
                return Outcome.Written;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && attempt < MaxConflictRetries)
            {
                // Someone else wrote it since our read: read again and decide again.
            }
        }
    }

    [LoggerMessage(EventId = 3200, Level = LogLevel.Information,
        Message = "Setting {Kind} {Namespace}/{Name} condition {Type}={Status} ({Reason}) at resourceVersion {ResourceVersion}")]
    private static partial void LogSetting(
        ILogger logger, string kind, string @namespace, string name, string type, string status, string reason, string? resourceVersion);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning,
        Message = "RunnerConfig {Namespace}/{Name} does not exist, so condition {Type} cannot be recorded; create the RunnerConfig")]
    private static partial void LogRunnerConfigMissing(ILogger logger, string @namespace, string name, string type);
}
