using Conductor.Custody;
using Conductor.Federation;
using Microsoft.Extensions.Logging;

namespace Conductor.Silo.Tenant.Federation;

/// <summary>
/// Hands each revocation this replica learns to the tenant's custody verification (<see cref="IRevocationSink"/>):
/// applied from management's push on the leader, or seen in the leader's marks by <see cref="RevokedArtifactsWatch"/>
/// on a follower. At start it replays the marks an earlier run persisted, so a restarted agent stops trusting a
/// revoked artifact before the channel to management is back.
/// </summary>
public sealed partial class RevocationForwarder(
    RevokedArtifacts revoked, IEnumerable<IRevocationSink> sinks, ILogger<RevocationForwarder> logger) : IHostedService
{
    private readonly IReadOnlyList<IRevocationSink> _sinks = [.. sinks];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_sinks.Count == 0)
        {
            return;
        }
        revoked.Applied += OnApplied;
        await revoked.LoadAsync(cancellationToken);
        foreach (var notice in revoked.All)
        {
            await ForwardAsync(notice, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        revoked.Applied -= OnApplied;
        return Task.CompletedTask;
    }

    /// <summary>The custody contract's view of a federation RevocationPush.</summary>
    public static ArtifactRevocation ToArtifactRevocation(RevocationNotice notice) => new(
        notice.Target == RevocationTarget.PackInstalled ? RevokedArtifactKind.PackInstalled : RevokedArtifactKind.PermissionSnapshot,
        notice.Namespace, notice.Name, notice.Reason, notice.RevokedAt, notice.RevocationId);

    private void OnApplied(RevocationNotice notice) => _ = ForwardAsync(notice, CancellationToken.None);

    private async Task ForwardAsync(RevocationNotice notice, CancellationToken cancellationToken)
    {
        foreach (var sink in _sinks)
        {
            try
            {
                await sink.RevokeAsync(ToArtifactRevocation(notice), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The mark is persisted; the next start replays it, so a failed hand-over is retried then.
                LogForwardFailed(logger, notice.Target, notice.Namespace, notice.Name, e);
            }
        }
    }

    [LoggerMessage(EventId = 3310, Level = LogLevel.Error,
        Message = "Could not hand the revocation of {Target} {Namespace}/{Name} to custody verification; it is replayed at the next start")]
    private static partial void LogForwardFailed(ILogger logger, RevocationTarget target, string @namespace, string name, Exception exception);
}
