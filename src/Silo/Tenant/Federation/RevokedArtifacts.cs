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
/// <c>conductor-revoked-artifacts</c> (tenant cluster, agent namespace; at most <see cref="MaxEntries"/>), read
/// back at start, so a restart does not honour a revoked artifact again while the channel is down. Applying a
/// revocation marks; it never deletes anything on the tenant cluster.
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

    /// <summary>Raised after a new revocation was applied.</summary>
    public event Action<RevocationNotice>? Applied;

    public bool IsRevoked(RevocationTarget target, string @namespace, string name) =>
        _entries.Any(e => e.Target == target && e.Namespace == @namespace && e.Name == name);

    /// <summary>Reads the marks left by an earlier run of the agent.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await ReadAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Marks the artifact revoked (once per revocation id); returns false when it was already.</summary>
    public async Task<bool> ApplyAsync(RevocationNotice notice, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_loaded)
            {
                await ReadAsync(cancellationToken);
            }

            for (var attempt = 0; ; attempt++)
            {
                if (_entries.Any(e => e.RevocationId == notice.RevocationId))
                {
                    return false;
                }

                LogApplying(logger, notice.Target, notice.Namespace, notice.Name, notice.Reason);
                List<RevocationNotice> next = [.. _entries.TakeLast(MaxEntries - 1), notice];
                if (await WriteAsync(next, cancellationToken))
                {
                    _entries = next;
                    break;
                }

                if (attempt >= MaxConflicts)
                {
                    throw new InvalidOperationException(
                        $"ConfigMap {options.Value.AgentNamespace}/{ConfigMapName} kept changing; the revocation of " +
                        $"{notice.Target} {notice.Namespace}/{notice.Name} is applied at management's next push");
                }

                await ReadAsync(cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }

        Applied?.Invoke(notice);
        return true;
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var map = await kube.CoreV1.ReadNamespacedConfigMapAsync(ConfigMapName, options.Value.AgentNamespace, cancellationToken: cancellationToken);
            var text = map.Data is { } data && data.TryGetValue(RevocationsKey, out var raw) ? raw : "[]";
            _entries = JsonSerializer.Deserialize<List<RevocationNotice>>(text, Json) ?? [];
            _resourceVersion = map.Metadata.ResourceVersion;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            (_entries, _resourceVersion) = ([], null);
        }

        _loaded = true;
    }

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

    [LoggerMessage(EventId = 3300, Level = LogLevel.Warning, Message = "Marking {Target} {Namespace}/{Name} revoked by management: {Reason}")]
    private static partial void LogApplying(ILogger logger, RevocationTarget target, string @namespace, string name, string reason);
}
