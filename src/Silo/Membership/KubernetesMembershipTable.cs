using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Orleans;
using Orleans.Runtime;

namespace Conductor.Silo.Membership;

/// <summary>
/// Orleans membership table kept in one ConfigMap per cluster id. Every write reads the ConfigMap, checks the
/// contract's preconditions (row etag, table-version etag) against what it read, and replaces the ConfigMap guarded by
/// the resourceVersion it read. A 409 means someone wrote in between (often only a heartbeat), so the write is
/// re-evaluated on a fresh read: it then succeeds if its preconditions still hold and fails if they no longer do.
/// </summary>
internal sealed partial class KubernetesMembershipTable : IMembershipTable, IDisposable
{
    /// <summary>The verbs this table uses on ConfigMaps in its namespace (least privilege, STYLE 14).</summary>
    public static readonly IReadOnlyList<string> ConfigMapVerbs = ["get", "create", "update", "delete"];

    // Writers re-read after each conflict; heartbeats of a few silos collide rarely, so a handful of rounds suffices.
    private const int MaxConflictRetries = 16;

    private readonly IKubernetes _client;
    private readonly IDisposable? _ownedClient;
    private readonly string _namespace;
    private readonly string _clusterId;
    private readonly string _name;
    private readonly ILogger _logger;

    public KubernetesMembershipTable(IKubernetes client, IDisposable? ownedClient, string @namespace, string clusterId, ILogger<KubernetesMembershipTable> logger)
    {
        _client = client;
        _ownedClient = ownedClient;
        _namespace = @namespace;
        _clusterId = clusterId;
        _name = KubernetesMembershipOptions.ConfigMapName(clusterId);
        _logger = logger;
    }

    public string Namespace => _namespace;

    public string ConfigMapName => _name;

    public Task InitializeMembershipTable(bool tryInitTableVersion) => InitializeMembershipTableAsync(tryInitTableVersion, CancellationToken.None);

    public async Task InitializeMembershipTableAsync(bool tryInitTableVersion, CancellationToken cancellationToken)
    {
        if (!tryInitTableVersion)
        {
            return;
        }
        var created = await WriteAsync("Initialize", snapshot => snapshot.Exists
            ? snapshot
            : snapshot with { Version = new TableVersion(0, MembershipSnapshot.NewEtag()) }, cancellationToken);
        if (!created)
        {
            throw new InvalidOperationException($"Could not create membership ConfigMap {_namespace}/{_name} after {MaxConflictRetries} attempts.");
        }
    }

    public Task DeleteMembershipTableEntries(string clusterId) => DeleteMembershipTableEntriesAsync(clusterId, CancellationToken.None);

    public async Task DeleteMembershipTableEntriesAsync(string clusterId, CancellationToken cancellationToken)
    {
        var name = KubernetesMembershipOptions.ConfigMapName(clusterId);
        LogDeletingTable(_logger, _namespace, name, clusterId);
        try
        {
            await _client.CoreV1.DeleteNamespacedConfigMapAsync(name, _namespace, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone: the table of that cluster is empty, which is what was asked.
        }
    }

    public Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate) => CleanupDefunctSiloEntriesAsync(beforeDate, CancellationToken.None);

    public async Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken)
    {
        var removed = 0;
        var written = await WriteAsync("CleanupDefunctSiloEntries", snapshot =>
        {
            var defunct = snapshot.Rows
                .Where(pair => pair.Value.Status == nameof(SiloStatus.Dead) && pair.Value.LastUpdate < beforeDate.UtcDateTime)
                .Select(pair => pair.Key)
                .ToList();
            removed = defunct.Count;
            // Removing defunct rows changes no live silo's view, so the table version stays (as in Orleans' own providers).
            return defunct.Count == 0 ? snapshot : snapshot with { Rows = snapshot.Rows.RemoveRange(defunct) };
        }, cancellationToken);
        if (!written)
        {
            throw new InvalidOperationException($"Could not clean up membership ConfigMap {_namespace}/{_name}: {MaxConflictRetries} conflicting writes in a row.");
        }
        if (removed > 0)
        {
            LogRemovedDefunct(_logger, _namespace, _name, removed, beforeDate);
        }
    }

    public Task<MembershipTableData> ReadRow(SiloAddress key) => ReadRowAsync(key, CancellationToken.None);

    public async Task<MembershipTableData> ReadRowAsync(SiloAddress key, CancellationToken cancellationToken)
    {
        var snapshot = await ReadAsync(cancellationToken);
        return snapshot.Rows.TryGetValue(MembershipRow.KeyOf(key), out var row)
            ? new MembershipTableData(Tuple.Create(row.ToEntry(), row.ETag), snapshot.Version)
            : new MembershipTableData(snapshot.Version);
    }

    public Task<MembershipTableData> ReadAll() => ReadAllAsync(CancellationToken.None);

    public async Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken)
    {
        var snapshot = await ReadAsync(cancellationToken);
        return new MembershipTableData([.. snapshot.Rows.Values.Select(row => Tuple.Create(row.ToEntry(), row.ETag))], snapshot.Version);
    }

    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) => InsertRowAsync(entry, tableVersion, CancellationToken.None);

    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion tableVersion, CancellationToken cancellationToken)
    {
        var key = MembershipRow.KeyOf(entry.SiloAddress);
        return WriteAsync("InsertRow", snapshot =>
        {
            if (snapshot.Rows.ContainsKey(key))
            {
                return Refuse(entry, "the silo already has a row");
            }
            if (StaleVersion(snapshot, tableVersion) is { } stale)
            {
                return Refuse(entry, stale);
            }
            return WithRow(snapshot, key, entry, tableVersion);
        }, cancellationToken);
    }

    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) => UpdateRowAsync(entry, etag, tableVersion, CancellationToken.None);

    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion tableVersion, CancellationToken cancellationToken)
    {
        var key = MembershipRow.KeyOf(entry.SiloAddress);
        return WriteAsync("UpdateRow", snapshot =>
        {
            if (!snapshot.Rows.TryGetValue(key, out var current))
            {
                return Refuse(entry, "the silo has no row");
            }
            if (current.ETag != etag)
            {
                return Refuse(entry, $"row etag {etag} is stale (now {current.ETag})");
            }
            if (StaleVersion(snapshot, tableVersion) is { } stale)
            {
                return Refuse(entry, stale);
            }
            return WithRow(snapshot, key, entry, tableVersion);
        }, cancellationToken);
    }

    public Task UpdateIAmAlive(MembershipEntry entry) => UpdateIAmAliveAsync(entry, CancellationToken.None);

    public async Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken cancellationToken)
    {
        var key = MembershipRow.KeyOf(entry.SiloAddress);
        var written = await WriteAsync("UpdateIAmAlive", snapshot =>
        {
            if (!snapshot.Rows.TryGetValue(key, out var current))
            {
                throw new InvalidOperationException(
                    $"Silo {entry.SiloAddress} has no row in membership ConfigMap {_namespace}/{_name}; it cannot report itself alive.");
            }
            // Only the heartbeat column changes: the row etag and the table version stay, so readers' etags remain valid.
            return snapshot with { Rows = snapshot.Rows.SetItem(key, current with { IAmAliveTime = entry.IAmAliveTime }) };
        }, cancellationToken);
        if (!written)
        {
            throw new InvalidOperationException($"Could not record IAmAlive of {entry.SiloAddress} in {_namespace}/{_name}: {MaxConflictRetries} conflicting writes in a row.");
        }
    }

    public void Dispose() => _ownedClient?.Dispose();

    /// <summary>The snapshot with <paramref name="entry"/> written at <paramref name="key"/> under <paramref name="tableVersion"/>, both with new etags.</summary>
    private static MembershipSnapshot WithRow(MembershipSnapshot snapshot, string key, MembershipEntry entry, TableVersion tableVersion) => snapshot with
    {
        Version = new TableVersion(tableVersion.Version, MembershipSnapshot.NewEtag()),
        Rows = snapshot.Rows.SetItem(key, MembershipRow.From(entry, MembershipSnapshot.NewEtag())),
    };

    /// <summary>The contract's table-version precondition: the caller read the current etag and asks for the next version.</summary>
    private static string? StaleVersion(MembershipSnapshot snapshot, TableVersion requested)
    {
        if (requested.VersionEtag != snapshot.Version.VersionEtag)
        {
            return $"table version etag {requested.VersionEtag} is stale (now {snapshot.Version})";
        }
        if (requested.Version != snapshot.Version.Version + 1)
        {
            return $"table version {requested.Version} does not follow {snapshot.Version.Version}";
        }
        return null;
    }

    private MembershipSnapshot? Refuse(MembershipEntry entry, string reason)
    {
        LogRefused(_logger, entry.SiloAddress, _namespace, _name, reason);
        return null;
    }

    private async Task<MembershipSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var configMap = await _client.CoreV1.ReadNamespacedConfigMapAsync(_name, _namespace, cancellationToken: cancellationToken);
            return MembershipSnapshot.Decode(configMap);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return MembershipSnapshot.Absent;
        }
    }

    /// <summary>
    /// Applies <paramref name="change"/> to a fresh read and writes the result guarded by the read's resourceVersion.
    /// <paramref name="change"/> returns null to refuse (false), the same snapshot for "nothing to write" (true), or the
    /// new table. A conflict re-runs it on a new read; false after <see cref="MaxConflictRetries"/> conflicts.
    /// </summary>
    private async Task<bool> WriteAsync(string operation, Func<MembershipSnapshot, MembershipSnapshot?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxConflictRetries; attempt++)
        {
            var current = await ReadAsync(cancellationToken);
            var next = change(current);
            if (next is null)
            {
                return false;
            }
            if (ReferenceEquals(next, current))
            {
                return true;
            }
            try
            {
                await PutAsync(current, next, cancellationToken);
                return true;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.Conflict)
            {
                LogConflict(_logger, operation, _namespace, _name, current.ResourceVersion, attempt);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.NotFound)
            {
                // Deleted between our read and replace; the next read sees it absent.
                LogConflict(_logger, operation, _namespace, _name, current.ResourceVersion, attempt);
            }
        }
        return false;
    }

    private async Task PutAsync(MembershipSnapshot current, MembershipSnapshot next, CancellationToken cancellationToken)
    {
        var data = next.Encode();
        var bytes = MembershipSnapshot.DataBytes(data);
        if (bytes > MembershipSnapshot.MaxDataBytes)
        {
            throw new InvalidOperationException(
                $"Membership ConfigMap {_namespace}/{_name} would hold {bytes} bytes with {next.Rows.Count} rows, over the 1 MiB ConfigMap limit. " +
                "Lower ClusterMembershipOptions.MaxDefunctSiloEntries or DefunctSiloExpiration so dead silos are removed sooner.");
        }
        var configMap = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = _name,
                NamespaceProperty = _namespace,
                ResourceVersion = current.ResourceVersion,
                Labels = new Dictionary<string, string>
                {
                    ["app.kubernetes.io/part-of"] = "conductor",
                    ["app.kubernetes.io/component"] = "orleans-membership",
                    ["conductor.ontai.dev/orleans-cluster-id"] = LabelValue(_clusterId),
                },
            },
            Data = data,
        };
        if (current.Exists)
        {
            await _client.CoreV1.ReplaceNamespacedConfigMapAsync(configMap, _name, _namespace, cancellationToken: cancellationToken);
        }
        else
        {
            LogCreatingTable(_logger, _namespace, _name, _clusterId);
            await _client.CoreV1.CreateNamespacedConfigMapAsync(configMap, _namespace, cancellationToken: cancellationToken);
        }
    }

    // Label values are limited to 63 characters; the ConfigMap name already carries the full cluster id.
    private static string LabelValue(string value) => value.Length <= 63 ? value : value[..63].TrimEnd('-', '.');

    [LoggerMessage(1, LogLevel.Information, "Creating membership ConfigMap {Namespace}/{Name} for cluster {ClusterId}")]
    private static partial void LogCreatingTable(ILogger logger, string @namespace, string name, string clusterId);

    [LoggerMessage(2, LogLevel.Information, "Deleting membership ConfigMap {Namespace}/{Name} of cluster {ClusterId}")]
    private static partial void LogDeletingTable(ILogger logger, string @namespace, string name, string clusterId);

    [LoggerMessage(3, LogLevel.Debug, "Conflict writing membership ConfigMap {Namespace}/{Name} during {Operation} at ResourceVersion {ResourceVersion} (attempt {Attempt}); re-reading")]
    private static partial void LogConflict(ILogger logger, string operation, string @namespace, string name, string? resourceVersion, int attempt);

    [LoggerMessage(4, LogLevel.Debug, "Refused membership write for silo {Silo} in ConfigMap {Namespace}/{Name}: {Reason}")]
    private static partial void LogRefused(ILogger logger, SiloAddress silo, string @namespace, string name, string reason);

    [LoggerMessage(5, LogLevel.Information, "Removed {Count} defunct silo rows older than {Cutoff} from membership ConfigMap {Namespace}/{Name}")]
    private static partial void LogRemovedDefunct(ILogger logger, string @namespace, string name, int count, DateTimeOffset cutoff);
}
