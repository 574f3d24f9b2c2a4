using System.Net;
using System.Text.Json;
using Conductor.Federation;
using Conductor.Resources;
using Conductor.Resources.Dispatcher;
using Conductor.Resources.Guardian;
using Conductor.Silo.Health;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Federation.Revocation;

/// <summary>
/// Watches PackInstalled and PermissionSnapshot on the management cluster (list, then watch from the list's
/// resourceVersion with bookmarks, relist on 410 Gone or any failure, with capped jittered backoff) and hands
/// every revocation (the <see cref="Revocations.RevokedAnnotation"/> or a deletion) to the revocation grain of
/// the cluster the artifact targets, which records and pushes it. A private watch until the shared informer lands.
/// A deletion made while no management replica was watching is not seen; annotate before deleting.
/// </summary>
public sealed partial class RevocationWatch(
    IKubernetes kube, IGrainFactory grains, IOptions<RevocationWatchOptions> options, TimeProvider time, IHostApplicationLifetime lifetime,
    ILogger<RevocationWatch> logger, WatchReadiness? readiness = null)
    : BackgroundService
{
    private readonly TaskCompletionSource _packsListed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _snapshotsListed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly WatchSync? _packsSync = readiness?.Register($"revocation watch of {PackInstalled.Plural}");
    private readonly WatchSync? _snapshotsSync = readiness?.Register($"revocation watch of {PermissionSnapshot.Plural}");

    /// <summary>Completes once both kinds were listed and their revocations handed over.</summary>
    public Task ReadyAsync(CancellationToken cancellationToken) => Task.WhenAll(_packsListed.Task, _snapshotsListed.Task).WaitAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Grain calls before the silo is active fail placement ("no active nodes"): start once the host has started.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            try
            {
                await started.Task.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        await WatchAllAsync(stoppingToken);
    }

    private Task WatchAllAsync(CancellationToken stoppingToken) => Task.WhenAll(
        WatchAsync(SeamApi.Group, SeamApi.Version, PackInstalled.Plural, RevocationTarget.PackInstalled, "targetClusterRef", _packsListed, _packsSync, stoppingToken),
        WatchAsync(GuardianApi.Group, GuardianApi.Version, PermissionSnapshot.Plural, RevocationTarget.PermissionSnapshot, "targetCluster", _snapshotsListed, _snapshotsSync, stoppingToken));

    private async Task WatchAsync(
        string group, string version, string plural, RevocationTarget target, string targetField, TaskCompletionSource listed, WatchSync? sync,
        CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var resourceVersion = await ListAsync(group, version, plural, target, targetField, stoppingToken);
                listed.TrySetResult();
                sync?.MarkSynced();
                failures = 0;
                var ns = options.Value.Namespace;
                var events = ns is null
                    ? kube.CustomObjects.WatchListClusterCustomObjectAsync(group, version, plural, allowWatchBookmarks: true,
                        resourceVersion: resourceVersion, cancellationToken: stoppingToken)
                    : kube.CustomObjects.WatchListNamespacedCustomObjectAsync(group, version, ns, plural, allowWatchBookmarks: true,
                        resourceVersion: resourceVersion, cancellationToken: stoppingToken);
                await foreach (var (type, raw) in events)
                {
                    if (type is WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted)
                    {
                        await HandAsync(Element(raw), type == WatchEventType.Deleted, target, targetField);
                    }
                }
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // A stop is a normal end, whatever it broke on the way (a cancelled call, a silo already going away):
                // the task must complete, or the host reports the service failed.
                return;
            }
            catch (Exception e)
            {
                // 410 Gone, a dropped connection, a failed grain call: all mean relist, which is idempotent.
                failures++;
                sync?.ReportFailure(e.Message);
                var ceiling = Math.Min(options.Value.MaxRetryDelay.TotalMilliseconds, 200 * Math.Pow(2, Math.Min(failures, 20)));
                LogWatchFailed(logger, plural, e.Message);
                if (!await BackOffAsync(TimeSpan.FromMilliseconds(ceiling * (0.5 + Random.Shared.NextDouble() * 0.5)), stoppingToken))
                {
                    return;
                }
            }
        }
    }

    /// <summary>Waits out a backoff; false when the host stopped meanwhile.</summary>
    private async Task<bool> BackOffAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<string?> ListAsync(string group, string version, string plural, RevocationTarget target, string targetField, CancellationToken cancellationToken)
    {
        var ns = options.Value.Namespace;
        var list = ns is null
            ? await kube.CustomObjects.ListClusterCustomObjectAsync<JsonElement>(group, version, plural, cancellationToken: cancellationToken)
            : await kube.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(group, version, ns, plural, cancellationToken: cancellationToken);
        foreach (var item in list.GetProperty("items").EnumerateArray())
        {
            await HandAsync(item, deleted: false, target, targetField);
        }

        return list.GetProperty("metadata").TryGetProperty("resourceVersion", out var rv) ? rv.GetString() : null;
    }

    private async Task HandAsync(JsonElement item, bool deleted, RevocationTarget target, string targetField)
    {
        if (RevokedArtifact.From(item, deleted, target, targetField, time.GetUtcNow()) is { } notice)
        {
            await grains.GetGrain<IRevocationGrain>(notice.ClusterId).RevokeAsync(notice);
        }
    }

    private static JsonElement Element(object raw) =>
        raw is JsonElement element ? element : JsonSerializer.SerializeToElement(raw);

    [LoggerMessage(EventId = 3140, Level = LogLevel.Warning, Message = "Watch of {Plural} for revocations failed ({Reason}); relisting after a backoff")]
    private static partial void LogWatchFailed(ILogger logger, string plural, string reason);
}
