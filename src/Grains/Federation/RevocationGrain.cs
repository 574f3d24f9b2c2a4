using System.Collections.Immutable;
using Conductor.Federation;
using Microsoft.Extensions.Logging;

namespace Conductor.Grains.Federation;

/// <summary>
/// One cluster's view of revocation: records each new revocation once in the management cluster's ledger
/// (<see cref="IRevocationLedgerGrain"/>, which groups concurrent revocations of many clusters into one write) and,
/// once it is stored, pushes it through the cluster's session grain. Holds no state of its own.
/// </summary>
public sealed partial class RevocationGrain(ILogger<RevocationGrain> logger) : Grain, IRevocationGrain
{
    private IRevocationLedgerGrain Ledger => GrainFactory.GetGrain<IRevocationLedgerGrain>(0);

    public Task<ImmutableArray<RevocationNotice>> ListAsync() => Ledger.ListAsync(this.GetPrimaryKeyString());

    public async Task RevokeAsync(RevocationNotice notice)
    {
        if (!await Ledger.RecordAsync(notice))
        {
            return; // seen before (a relist or a repeated event): recorded and pushed already
        }

        LogRevoking(logger, notice.ClusterId, notice.Target, notice.Namespace, notice.Name, notice.Reason);
        await GrainFactory.GetGrain<ITenantSessionGrain>(this.GetPrimaryKeyString()).PushRevocationAsync(notice);
    }

    [LoggerMessage(EventId = 3110, Level = LogLevel.Information,
        Message = "Revoking {Target} {Namespace}/{Name} held by cluster {ClusterId}: {Reason}")]
    private static partial void LogRevoking(ILogger logger, string clusterId, RevocationTarget target, string @namespace, string name, string reason);
}
