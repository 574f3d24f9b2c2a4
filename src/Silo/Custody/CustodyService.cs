using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Threading.Channels;
using Conductor.Custody;
using Conductor.Resources.Dispatcher;
using Conductor.Resources.Guardian;
using Conductor.Resources;
using Conductor.Signing;
using Conductor.Silo.Health;
using Conductor.Silo.Kubernetes;
using Conductor.Silo.Leadership;
using Conductor.Silo.Signing;
using k8s.Models;
using k8s;

namespace Conductor.Silo.Custody;

/// <summary>
/// The tenant's pull loops (leader only): watches the signed artifact Secrets, PackInstalled, PackDelivery and
/// PermissionSnapshot in this cluster's <c>seam-tenant-{cluster}</c> namespace on management, verifies each before
/// anything acts on it, and writes a PackReceipt or PermissionSnapshotReceipt in the receipt namespace here:
/// acknowledged when verified, otherwise unacknowledged with DegradedSecurityState and a reason naming the resource
/// and the cause. A trusted-key change or a revocation re-verifies at once.
/// </summary>
public sealed partial class CustodyService : BackgroundService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);
    private static readonly ReceiptApi PackReceiptApi = new(SeamApi.Group, SeamApi.Version, PackReceipt.Plural, PackReceipt.KindName);

    private readonly IKubernetes _management;
    private readonly TrustedKeysDirectory _keys;
    private readonly ILeadership _authority;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _cluster;
    private readonly string _managementNamespace;
    private readonly CustodyVerifier _verifier;
    private readonly ReceiptWriter _receipts;
    private readonly VerifiedSnapshotWriter _snapshotWriter;
    private readonly SecurityStateReporter? _security;
    private readonly RevocationRegistry _revocations;
    private readonly WatchReadiness? _readiness;
    private readonly ConcurrentDictionary<string, V1Secret> _artifacts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SignableResource> _installed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SignableResource> _deliveries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SignableResource> _snapshots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<WorkItem, byte> _pending = new();
    private readonly ConcurrentDictionary<WorkItem, int> _failures = new();
    private readonly Channel<WorkItem> _work = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private int _receiptWrites;

    public CustodyService(CustodyOptions options, IKubernetes management, IKubernetes local, TrustedKeysDirectory keys, RevocationRegistry revocations,
        ILeadership authority, TimeProvider time, ILogger<CustodyService> logger, VerifiedSnapshotWriter? snapshotWriter = null,
        SecurityStateReporter? security = null, WatchReadiness? readiness = null)
    {
        _readiness = readiness;
        _snapshotWriter = snapshotWriter ?? new VerifiedSnapshotWriter(local, options.ReceiptNamespace, options.ClusterRef, time);
        _security = security;
        _management = management;
        _keys = keys;
        _authority = authority;
        _time = time;
        _logger = logger;
        _cluster = options.ClusterRef;
        _managementNamespace = SignedArtifactSecret.TenantNamespace(options.ClusterRef);
        _revocations = revocations;
        _verifier = new CustodyVerifier(_cluster, revocations);
        _receipts = new ReceiptWriter(local, options.ReceiptNamespace, time);
        _keys.Changed += _ => EnqueueAll();
        _revocations.CurrentSignature = CurrentSignature;
        _revocations.Revoked += revocation => Enqueue(revocation.Kind == RevokedArtifactKind.PackInstalled
            ? new WorkItem(WorkKind.Pack, revocation.Name)
            : new WorkItem(WorkKind.Snapshot, revocation.Name));
    }

    /// <summary>How many receipt writes were made (creates and patches); tests use it to see that nothing flaps.</summary>
    public int ReceiptWrites => Volatile.Read(ref _receiptWrites);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var lost = CancellationToken.None;
            try
            {
                lost = await _authority.WaitForLeadershipAsync(stoppingToken);
                using var term = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lost);
                LogLeading(_logger, _cluster, _managementNamespace);
                await LeadAsync(term.Token);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping is a normal end, whatever the last call broke with: the task must complete, or the host
                // reports the service failed.
                break;
            }
            catch (Exception e) when (e is OperationCanceledException || lost.IsCancellationRequested)
            {
                // Whatever the last call broke with once the term ended, the next term starts from a fresh list.
                LogLostAuthority(_logger, _cluster);
            }
        }
    }

    /// <summary>
    /// One term of write authority: fresh watches (so caches start from management's truth) and one worker. The watches
    /// join readiness only for the term: a standby replica serves admission and permissions and must stay ready.
    /// </summary>
    private async Task LeadAsync(CancellationToken term)
    {
        var informers = new List<IAsyncDisposable>();
        var ready = new List<Func<CancellationToken, Task>>();
        var subscriptions = new List<IDisposable>();
        try
        {
            var secrets = new ResourceInformer<V1Secret>(new ArtifactSecretSource(_management, _managementNamespace, _cluster), _time, _logger,
                readiness: _readiness);
            subscriptions.Add(secrets.Subscribe(OnArtifactAsync));
            informers.Add(secrets);
            foreach (var (kind, cache) in new[]
            {
                (SignedKind.PackInstalled, _installed), (SignedKind.PackDelivery, _deliveries), (SignedKind.PermissionSnapshot, _snapshots),
            })
            {
                var informer = new ResourceInformer<SignableResource>(new SignableResourceSource(_management, kind, _managementNamespace), _time,
                    _logger, readiness: _readiness);
                subscriptions.Add(informer.Subscribe((change, _) => OnResourceAsync(kind, cache, change)));
                informers.Add(informer);
                ready.Add(informer.ReadyAsync);
                await informer.StartAsync(term);
            }
            ready.Add(secrets.ReadyAsync);
            await secrets.StartAsync(term);
            // Verify only once every cache holds management's full list, so a pack is never judged on half the evidence.
            foreach (var synced in ready)
            {
                await synced(term);
            }
            await foreach (var item in _work.Reader.ReadAllAsync(term))
            {
                _pending.TryRemove(item, out _);
                await ReconcileAsync(item, term);
            }
        }
        finally
        {
            foreach (var subscription in subscriptions)
            {
                subscription.Dispose();
            }
            foreach (var informer in informers)
            {
                await informer.DisposeAsync();
            }
        }
    }

    private Task OnArtifactAsync(ResourceEvent<V1Secret> change, CancellationToken cancellationToken)
    {
        var name = change.Object.Metadata.Annotations?.TryGetValue(SignedArtifactSecret.PackInstalledAnnotation, out var owner) == true
            ? owner
            : change.Object.Metadata.Name[Math.Min(change.Object.Metadata.Name.Length, SignedArtifactSecret.Name(_cluster, "").Length)..];
        if (change.Type == WatchEventType.Deleted)
        {
            _artifacts.TryRemove(name, out _);
        }
        else
        {
            _artifacts[name] = change.Object;
        }
        Enqueue(new WorkItem(WorkKind.Pack, name));
        return Task.CompletedTask;
    }

    private Task OnResourceAsync(SignedKind kind, ConcurrentDictionary<string, SignableResource> cache, ResourceEvent<SignableResource> change)
    {
        var name = change.Object.Metadata.Name;
        if (change.Type == WatchEventType.Deleted)
        {
            cache.TryRemove(name, out _);
        }
        else
        {
            cache[name] = change.Object;
        }
        switch (kind)
        {
            case SignedKind.PackInstalled:
                Enqueue(new WorkItem(WorkKind.Pack, name));
                break;
            case SignedKind.PermissionSnapshot:
                Enqueue(new WorkItem(WorkKind.Snapshot, name));
                break;
            default:
                // A PackDelivery backs every pack that names it.
                foreach (var pack in _artifacts.Keys.Union(_installed.Keys))
                {
                    Enqueue(new WorkItem(WorkKind.Pack, pack));
                }
                break;
        }
        return Task.CompletedTask;
    }

    private void EnqueueAll()
    {
        foreach (var pack in _artifacts.Keys.Union(_installed.Keys))
        {
            Enqueue(new WorkItem(WorkKind.Pack, pack));
        }
        foreach (var snapshot in _snapshots.Keys)
        {
            Enqueue(new WorkItem(WorkKind.Snapshot, snapshot));
        }
    }

    private void Enqueue(WorkItem item)
    {
        if (_pending.TryAdd(item, 0))
        {
            _work.Writer.TryWrite(item);
        }
    }

    private async Task ReconcileAsync(WorkItem item, CancellationToken term)
    {
        try
        {
            var (verdict, tracked) = item.Kind == WorkKind.Pack ? await ReconcilePackAsync(item.Name, term) : await ReconcileSnapshotAsync(item.Name, term);
            if (_security is { } security)
            {
                await security.ReportAsync(SecurityKey(item), tracked ? verdict : null, term);
            }
            _failures.TryRemove(item, out _);
            if (!verdict.Verified && tracked)
            {
                LogDegraded(_logger, item.Kind == WorkKind.Pack ? PackReceipt.KindName : PermissionSnapshotReceipt.KindName, item.Name, verdict.Reason);
            }
        }
        catch (Exception e) when (!term.IsCancellationRequested)
        {
            var failures = _failures.AddOrUpdate(item, 1, (_, n) => n + 1);
            var delay = TimeSpan.FromMilliseconds(Math.Min(MaxRetryDelay.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures, 16))));
            LogFailed(_logger, item.Kind.ToString(), item.Name, failures, delay.TotalSeconds, e.Message, e);
            _ = RetryAfterAsync(item, delay, term);
        }
    }

    private async Task RetryAfterAsync(WorkItem item, TimeSpan delay, CancellationToken term)
    {
        try
        {
            await Task.Delay(delay, _time, term);
            Enqueue(item);
        }
        catch (OperationCanceledException)
        {
            // The term ended; the next one starts from a fresh list.
        }
    }

    /// <summary>The resource a work item judges, as the security state names it (the onboarding push uses the same key).</summary>
    public static string SecurityKey(bool snapshot, string name) => (snapshot ? PermissionSnapshot.KindName : PackInstalled.KindName) + " " + name;

    private static string SecurityKey(WorkItem item) => SecurityKey(item.Kind == WorkKind.Snapshot, item.Name);

    private async Task<(CustodyVerdict Verdict, bool Tracked)> ReconcilePackAsync(string name, CancellationToken term)
    {
        _artifacts.TryGetValue(name, out var artifact);
        _installed.TryGetValue(name, out var installed);
        var verdict = _verifier.VerifyPack(name, artifact, installed, d => _deliveries.TryGetValue(d, out var delivery) ? delivery : null, _keys.Current);
        var artifactSpec = ArtifactSpec(artifact);
        var deliveryName = Text(artifactSpec, "clusterPackRef") ?? Text(installed?.Spec, "clusterPackRef");
        var initial = new JsonObject
        {
            ["packInstanceRef"] = name,
            ["signatureRef"] = SignedArtifactSecret.Name(_cluster, name),
            ["clusterPackRef"] = string.IsNullOrEmpty(deliveryName) ? "unknown" : deliveryName,
            ["targetClusterRef"] = _cluster,
        };
        JsonObject? verified = null;
        if (verdict.Verified)
        {
            verified = (JsonObject)initial.DeepClone();
            foreach (var field in new[] { "chartVersion", "chartURL", "chartName", "helmVersion" })
            {
                if (Text(artifactSpec, field) is { Length: > 0 } value)
                {
                    verified[field] = value;
                }
            }
            var delivery = _deliveries[deliveryName!].Spec;
            foreach (var field in new[] { "rbacDigest", "workloadDigest" })
            {
                if (Text(delivery, field) is { Length: > 0 } value)
                {
                    verified[field] = value;
                }
            }
        }
        var wrote = await _receipts.WriteAsync(PackReceiptApi, name, initial, verified, verdict, _ => new JsonObject
        {
            ["verified"] = verdict.Verified,
            ["acknowledged"] = verdict.Verified,
            ["signature"] = verdict.Signature,
            ["verificationFailedReason"] = verdict.Verified ? null : verdict.Reason,
        }, published: artifact is not null, term);
        Count(wrote.Written);
        return (verdict, wrote.Exists);
    }

    private async Task<(CustodyVerdict Verdict, bool Tracked)> ReconcileSnapshotAsync(string name, CancellationToken term)
    {
        var verdict = _snapshots.TryGetValue(name, out var snapshot)
            ? _verifier.VerifySnapshot(snapshot, _keys.Current)
            : CustodyVerdict.Refused($"{PermissionSnapshot.KindName} {_managementNamespace}/{name} no longer exists on management");
        var signature = snapshot?.Annotation(SignatureAnnotations.Signature);
        var wrote = await _snapshotWriter.WriteAsync(name, snapshot?.Spec, signature, verdict, published: signature is not null, term);
        Count(wrote.Written);
        return (verdict, wrote.Exists);
    }

    private void Count(bool wrote)
    {
        if (wrote)
        {
            Interlocked.Increment(ref _receiptWrites);
        }
    }

    private string? CurrentSignature(RevokedArtifactKind kind, string name)
    {
        if (kind == RevokedArtifactKind.PermissionSnapshot)
        {
            return _snapshots.TryGetValue(name, out var snapshot) ? snapshot.Annotation(SignatureAnnotations.Signature) : null;
        }
        return _installed.TryGetValue(name, out var installed) ? installed.Annotation(SignatureAnnotations.Signature) : null;
    }

    private static JsonElement? ArtifactSpec(V1Secret? artifact)
    {
        if (artifact?.Data?.TryGetValue(SignedArtifactSecret.ArtifactKey, out var bytes) != true)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement? element, string property) =>
        element is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty(property, out var field) && field.ValueKind == JsonValueKind.String
            ? field.GetString()
            : null;

    private enum WorkKind
    {
        Pack,
        Snapshot,
    }

    private readonly record struct WorkItem(WorkKind Kind, string Name);

    [LoggerMessage(1, LogLevel.Information, "Verifying packs and permissions for cluster {ClusterId} from management namespace {Namespace}")]
    private static partial void LogLeading(ILogger logger, string clusterId, string @namespace);

    [LoggerMessage(2, LogLevel.Information, "Write authority for cluster {ClusterId} lost; pull loops paused until it is regained")]
    private static partial void LogLostAuthority(ILogger logger, string clusterId);

    [LoggerMessage(3, LogLevel.Warning, "DegradedSecurityState: {Kind} {Name} not acknowledged: {Reason}")]
    private static partial void LogDegraded(ILogger logger, string kind, string name, string reason);

    [LoggerMessage(4, LogLevel.Warning, "Reconciling {Kind} receipt {Name} failed ({Failures} in a row), retrying in {DelaySeconds} s: {Reason}")]
    private static partial void LogFailed(ILogger logger, string kind, string name, int failures, double delaySeconds, string reason, Exception exception);
}
