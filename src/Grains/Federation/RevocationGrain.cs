using System.Collections.Immutable;
using Conductor.Federation;
using Conductor.Grains.Federation.Storage;
using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conductor.Grains.Federation;

/// <summary>
/// Records the revocations of one cluster's artifacts in its <see cref="RevocationLedger"/> and pushes each new
/// one through the cluster's session grain. The ledger is read on activation; memory is only a cache of it.
/// </summary>
public sealed partial class RevocationGrain(IKubernetes kube, IOptions<FederationGrainOptions> options, ILogger<RevocationGrain> logger)
    : Grain, IRevocationGrain
{
    private const int MaxConflicts = 10;

    private RevocationLedger _ledger = null!;
    private List<RevocationNotice> _entries = [];
    private string? _resourceVersion;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _ledger = new RevocationLedger(kube, options.Value.StoreNamespace, this.GetPrimaryKeyString());
        (_entries, _resourceVersion) = await _ledger.ReadAsync(cancellationToken);
    }

    public Task<ImmutableArray<RevocationNotice>> ListAsync() => Task.FromResult(_entries.ToImmutableArray());

    public async Task RevokeAsync(RevocationNotice notice)
    {
        if (_entries.Any(e => e.RevocationId == notice.RevocationId))
        {
            return; // seen before (a relist or a repeated event): recorded and pushed already
        }

        LogRevoking(logger, notice.ClusterId, notice.Target, notice.Namespace, notice.Name, notice.Reason);
        await RecordAsync(notice);
        await GrainFactory.GetGrain<ITenantSessionGrain>(this.GetPrimaryKeyString()).PushRevocationAsync(notice);
    }

    private async Task RecordAsync(RevocationNotice notice)
    {
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            List<RevocationNotice> next = [.. _entries, notice];
            if (await _ledger.WriteAsync(next, _resourceVersion, CancellationToken.None) is { } written)
            {
                (_entries, _resourceVersion) = ([.. next.TakeLast(RevocationLedger.MaxEntries)], written);
                return;
            }

            // Another activation wrote meanwhile (a silo handover): merge what it recorded and try again.
            var (stored, resourceVersion) = await _ledger.ReadAsync(CancellationToken.None);
            _entries = [.. stored, .. _entries.Where(e => stored.All(s => s.RevocationId != e.RevocationId))];
            _resourceVersion = resourceVersion;
            if (_entries.Any(e => e.RevocationId == notice.RevocationId))
            {
                return;
            }
        }

        throw new InvalidOperationException(
            $"Revocation ledger {_ledger.Name} of cluster {this.GetPrimaryKeyString()} kept changing under us; " +
            $"{notice.Target} {notice.Namespace}/{notice.Name} was not recorded and will be retried by the next watch event");
    }

    [LoggerMessage(EventId = 3110, Level = LogLevel.Information,
        Message = "Revoking {Target} {Namespace}/{Name} held by cluster {ClusterId}: {Reason}")]
    private static partial void LogRevoking(ILogger logger, string clusterId, RevocationTarget target, string @namespace, string name, string reason);
}
