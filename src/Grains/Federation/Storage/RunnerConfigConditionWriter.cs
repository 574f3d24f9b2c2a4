using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conductor.Resources;
using Conductor.Resources.Platform;
using Conductor.Resources.Seam;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace Conductor.Grains.Federation.Storage;

/// <summary>
/// Sets one condition on a resource's status: read, compare, and replace <c>/status</c> guarded by the
/// resourceVersion read, only when status, reason or message differ (no blind writes); a conflict re-reads and
/// retries. Used by management (the tenant's RunnerConfig and TalosCluster on the management cluster) and by the
/// tenant agent (its own RunnerConfig). Other status fields and conditions are kept as read.
/// </summary>
public sealed partial class RunnerConfigConditionWriter(IKubernetes kube, TimeProvider time, ILogger<RunnerConfigConditionWriter> logger)
{
    private const int MaxConflictRetries = 5;

    /// <summary>The RunnerConfig kind's coordinates.</summary>
    public static readonly ConditionTarget RunnerConfigs = new(SeamApi.Group, SeamApi.Version, RunnerConfig.Plural, RunnerConfig.KindName);

    /// <summary>The TalosCluster kind's coordinates.</summary>
    public static readonly ConditionTarget TalosClusters = new(SeamApi.Group, SeamApi.Version, TalosCluster.Plural, TalosCluster.KindName);

    /// <summary>What became of the write.</summary>
    public enum Outcome
    {
        Written,
        Unchanged,
        RunnerConfigMissing,
    }

    /// <summary>Sets a condition on RunnerConfig <paramref name="namespace"/>/<paramref name="name"/>.</summary>
    public Task<Outcome> SetAsync(
        string @namespace, string name, string type, bool status, string reason, string message, CancellationToken cancellationToken = default) =>
        SetAsync(RunnerConfigs, @namespace, name, type, status, reason, message, absentMeansFalse: true, cancellationToken);

    /// <summary>
    /// Sets a condition on the <paramref name="target"/> kind's object; a missing object is reported, not created. With
    /// <paramref name="absentMeansFalse"/>, a False condition that is absent is left absent.
    /// </summary>
    public async Task<Outcome> SetAsync(
        ConditionTarget target, string @namespace, string name, string type, bool status, string reason, string message, bool absentMeansFalse,
        CancellationToken cancellationToken = default)
    {
        var statusText = status ? "True" : "False";
        for (var attempt = 0; ; attempt++)
        {
            JsonObject current;
            try
            {
                var raw = await kube.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(
                    target.Group, target.Version, @namespace, target.Plural, name, cancellationToken);
                current = JsonNode.Parse(raw.GetRawText())!.AsObject();
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                LogObjectMissing(logger, target.Kind, @namespace, name, type);
                return Outcome.RunnerConfigMissing;
            }

            var statusNode = current["status"] as JsonObject ?? [];
            var conditions = statusNode["conditions"] as JsonArray ?? [];
            var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);
            if (existing is null
                ? !status && absentMeansFalse
                : (string?)existing["status"] == statusText && (string?)existing["reason"] == reason && (string?)existing["message"] == message)
            {
                return Outcome.Unchanged; // an absent condition already means False
            }

            var metadata = current["metadata"]!.AsObject();
            var now = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            var updated = new JsonObject
            {
                ["type"] = type,
                ["status"] = statusText,
                ["reason"] = reason,
                ["message"] = message,
                ["lastTransitionTime"] = existing is not null && (string?)existing["status"] == statusText ? existing["lastTransitionTime"]?.DeepClone() : now,
            };
            if (metadata["generation"] is { } generation)
            {
                updated["observedGeneration"] = generation.DeepClone();
            }
            var kept = conditions.OfType<JsonObject>().Where(c => (string?)c["type"] != type).Select(c => (JsonNode)c.DeepClone());
            statusNode = (JsonObject)statusNode.DeepClone();
            statusNode["conditions"] = new JsonArray([.. kept, updated]);
            current["status"] = statusNode;
            LogSetting(logger, target.Kind, @namespace, name, type, statusText, reason, (string?)metadata["resourceVersion"]);
            try
            {
                await kube.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<JsonElement>(
                    current, target.Group, target.Version, @namespace, target.Plural, name, cancellationToken: cancellationToken);
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
        Message = "{Kind} {Namespace}/{Name} does not exist, so condition {Type} cannot be recorded; create the {Kind}")]
    private static partial void LogObjectMissing(ILogger logger, string kind, string @namespace, string name, string type);
}

/// <summary>API group, version, plural and kind of a resource whose status carries conditions.</summary>
public sealed record ConditionTarget(string Group, string Version, string Plural, string Kind);
