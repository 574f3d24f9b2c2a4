using System.Net;
using System.Text.Json;
using Conductor.Federation;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Tenant.Federation;

/// <summary>
/// The revocations this tenant has applied. Every component that honours a PackInstalled or PermissionSnapshot
/// asks <see cref="IsRevoked"/> first. Applied revocations are marked in ConfigMap
/// <c>conductor-revoked-artifacts</c> (tenant cluster, agent namespace; at most <see cref="MaxEntries"/>). Only the
/// Lease leader holds the control stream and writes marks (<see cref="ApplyAsync"/>, resourceVersion-guarded); every
/// replica follows the ConfigMap (<see cref="RevokedArtifactsWatch"/> hands it to <see cref="ObserveAsync"/>), so a
/// follower stops honouring a revoked artifact too, and a restart does not honour one again while the channel is down.
/// Marks only accumulate here: applying or observing a revocation never deletes anything on the tenant cluster, and a
/// mark once seen is kept in memory even if the ConfigMap loses it.
/// </summary>
public sealed partial class RevokedArtifacts(IKubernetes kube, IOptions<FederationClientOptions> options, ILogger<RevokedArtifacts> logger)
{
    public const string ConfigMapName = "conductor-revoked-artifacts";
    public const string RevocationsKey = "revocations";
    public const int MaxEntries = 1000;
    private const int MaxConflicts = 10;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile IReadOnlyList<RevocationNotice> _entries = [];
    private string? _resourceVersion;
    private bool _loaded;

    /// <summary>Every applied revocation, oldest first.</summary>
    public IReadOnlyList<RevocationNotice> All => _entries;

    /// <summary>
    /// Raised once per revocation this replica had not seen before: applied here, observed on the ConfigMap (written
    /// by the leader) or read back from it. Raised outside the store's lock.
    /// </summary>
    public event Action<RevocationNotice>? Applied;

    public bool IsRevoked(RevocationTarget target, string @namespace, string name) =>
        _entries.Any(e => e.Target == target && e.Namespace == @namespace && e.Name == name);

    /// <summary>Reads the marks left by an earlier run of the agent.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<RevocationNotice> seen;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            seen = await ReadAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }

        Raise(seen);
    }

    /// <summary>
    /// Takes in the ConfigMap as a watch delivered it (null: it was deleted) and raises <see cref="Applied"/> for
    /// each revocation it holds that this replica had not seen.
    /// </summary>
    public async Task ObserveAsync(V1ConfigMap? map, CancellationToken cancellationToken)
    {
        IReadOnlyList<RevocationNotice> seen = [];
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (map is null)
            {
                // The next write creates it again; the marks already seen stay in force.
                _resourceVersion = null;
            }
            else
            {
                seen = Merge(Parse(map));
                if (IsNewer(map.Metadata.ResourceVersion, _resourceVersion))
                {
                    _resourceVersion = map.Metadata.ResourceVersion;
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        Raise(seen);
    }

    /// <summary>Marks the artifact revoked (once per revocation id); returns false when it was already.</summary>
    public async Task<bool> ApplyAsync(RevocationNotice notice, CancellationToken cancellationToken)
    {
        List<RevocationNotice> seen = [];
        var written = false;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_loaded)
            {
                seen.AddRange(await ReadAsync(cancellationToken));
            }

            for (var attempt = 0; ; attempt++)
            {
                if (_entries.Any(e => e.RevocationId == notice.RevocationId))
                {
                    break;
                }

                LogApplying(logger, notice.Target, notice.Namespace, notice.Name, notice.Reason);
                List<RevocationNotice> next = [.. _entries.TakeLast(MaxEntries - 1), notice];
                if (await WriteAsync(next, cancellationToken))
                {
                    _entries = next;
                    seen.Add(notice);
                    written = true;
                    break;
                }

                if (attempt >= MaxConflicts)
                {
                    throw new InvalidOperationException(
                        $"ConfigMap {options.Value.AgentNamespace}/{ConfigMapName} kept changing; the revocation of " +
                        $"{notice.Target} {notice.Namespace}/{notice.Name} is applied at management's next push");
                }

                seen.AddRange(await ReadAsync(cancellationToken));
            }
        }
        finally
        {
            _gate.Release();
            // Also when the write gave up: what the re-reads found is known now and must reach the listeners.
            Raise(seen);
        }

        return written;
    }

    /// <summary>Reads the ConfigMap now (under the lock); returns the revocations it held that were not seen before.</summary>
    private async Task<IReadOnlyList<RevocationNotice>> ReadAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<RevocationNotice> seen;
        try
        {
            var map = await kube.CoreV1.ReadNamespacedConfigMapAsync(ConfigMapName, options.Value.AgentNamespace, cancellationToken: cancellationToken);
            seen = Merge(Parse(map));
            _resourceVersion = map.Metadata.ResourceVersion;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            (seen, _resourceVersion) = ([], null);
        }

        _loaded = true;
        return seen;
    }

    private List<RevocationNotice> Parse(V1ConfigMap map)
    {
        var text = map.Data is { } data && data.TryGetValue(RevocationsKey, out var raw) ? raw : "[]";
        try
        {
            return JsonSerializer.Deserialize<List<RevocationNotice>>(text, Json) ?? [];
        }
        catch (JsonException e)
        {
            // A hand-edited mark must not un-revoke anything: keep what is known and say what to fix.
            LogUnreadable(logger, options.Value.AgentNamespace, ConfigMapName, RevocationsKey, e.Message);
            return [];
        }
    }

    /// <summary>Adds the revocations not yet known (by id), keeping the newest <see cref="MaxEntries"/>; returns them.</summary>
    private List<RevocationNotice> Merge(List<RevocationNotice> stored)
    {
        var known = _entries.Select(e => e.RevocationId).ToHashSet(StringComparer.Ordinal);
        var fresh = stored.Where(e => known.Add(e.RevocationId)).ToList();
        if (fresh.Count > 0)
        {
            _entries = [.. _entries.Concat(fresh).TakeLast(MaxEntries)];
        }
        return fresh;
    }

    private void Raise(IReadOnlyList<RevocationNotice> seen)
    {
        foreach (var notice in seen)
        {
            Applied?.Invoke(notice);
        }
    }

    /// <summary>
    /// Whether <paramref name="candidate"/> is a later resourceVersion than <paramref name="current"/>. Versions are
    /// opaque, but this apiserver's are etcd revisions; when either does not parse the candidate is taken.
    /// </summary>
    private static bool IsNewer(string? candidate, string? current) =>
        candidate is { Length: > 0 }
        && (current is null || !ulong.TryParse(candidate, out var next) || !ulong.TryParse(current, out var now) || next > now);

    private async Task<bool> WriteAsync(List<RevocationNotice> entries, CancellationToken cancellationToken)
    {
        var map = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = ConfigMapName, NamespaceProperty = options.Value.AgentNamespace, ResourceVersion = _resourceVersion },
            Data = new Dictionary<string, string> { [RevocationsKey] = JsonSerializer.Serialize(entries, Json) },
        };
        try
        {
            var written = _resourceVersion is null
                ? await kube.CoreV1.CreateNamespacedConfigMapAsync(map, options.Value.AgentNamespace, cancellationToken: cancellationToken)
                : await kube.CoreV1.ReplaceNamespacedConfigMapAsync(map, ConfigMapName, options.Value.AgentNamespace, cancellationToken: cancellationToken);
            _resourceVersion = written.Metadata.ResourceVersion;
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Error,
        Message = "ConfigMap {Namespace}/{Name} key {Key} is not a JSON list of revocations ({Reason}); the marks already seen stay in force")]
    private static partial void LogUnreadable(ILogger logger, string @namespace, string name, string key, string reason);

    [LoggerMessage(EventId = 3300, Level = LogLevel.Warning, Message = "Marking {Target} {Namespace}/{Name} revoked by management: {Reason}")]
    private static partial void LogApplying(ILogger logger, RevocationTarget target, string @namespace, string name, string reason);
}
