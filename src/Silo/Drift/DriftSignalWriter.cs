using Conductor.Resources;
using Conductor.Resources.Seam;
using Conductor.Silo.Leadership;
using k8s;
using k8s.Models;

namespace Conductor.Silo.Drift;

/// <summary>
/// The tenant's writes of DriftSignals in <c>seam-tenant-{cluster}</c> on management: reads the signal, asks
/// <see cref="DriftTransition"/> what the observation means, and makes that one change as the leader, guarded by the
/// signal's resourceVersion so a write racing management's handler fails (409) instead of overwriting it; the next
/// pass starts again from what is stored.
/// </summary>
public sealed partial class DriftSignalWriter(IKubernetes management, string @namespace, LeaderOnlyWriter writer, TimeProvider time,
    int escalationLimit, ILogger logger)
{
    /// <summary>Applies one observation and returns what was done (None when nothing was written).</summary>
    public async Task<DriftAction> ApplyAsync(DriftObservation observation, CancellationToken cancellationToken)
    {
        var existing = await DriftSignalStore.ReadAsync(management, @namespace, observation.Signal, cancellationToken);
        var action = DriftTransition.Next(existing?.Spec, observation.Drifted, escalationLimit);
        if (action == DriftAction.None)
        {
            return action;
        }
        var now = time.GetUtcNow();
        var spec = existing?.Spec;
        DriftSignalSpec next = action switch
        {
            DriftAction.Create or DriftAction.Restart => Fresh(observation, now),
            // A new round: management must redeploy again before the counter may move again.
            DriftAction.Escalate => spec! with
            {
                State = DriftState.Pending,
                EscalationCounter = spec.EscalationCounter + 1,
                CorrectionJobRef = null,
                DriftReason = observation.Reason,
                ObservedAt = Seconds(now),
            },
            // The reference writes correlationID ""; it is omitted here because the API server rejects "" as null.
            DriftAction.Confirm => spec! with { State = DriftState.Confirmed, CorrelationId = null },
            _ => throw new InvalidOperationException($"unknown drift action {action}"),
        };
        LogWriting(logger, action.ToString(), @namespace, observation.Signal, observation.Drifted ? observation.Reason : "drift resolved",
            next.EscalationCounter);
        await writer.WriteAsync($"{action} DriftSignal {@namespace}/{observation.Signal}", async token =>
        {
            if (existing is null)
            {
                var signal = new DriftSignal
                {
                    Metadata = new V1ObjectMeta { Name = observation.Signal, NamespaceProperty = @namespace },
                    Spec = next,
                };
                await management.CustomObjects.CreateNamespacedCustomObjectAsync(signal, SeamApi.Group, SeamApi.Version, @namespace,
                    DriftSignal.Plural, cancellationToken: token);
            }
            else
            {
                existing.Spec = next;
                await DriftSignalStore.WriteSpecAsync(management, existing, token);
            }
        }, cancellationToken);
        return action;
    }

    private static DriftSignalSpec Fresh(DriftObservation observation, DateTimeOffset now) => new()
    {
        State = DriftState.Pending,
        CorrelationId = DriftNames.Correlation(observation.CorrelationPrefix, now),
        ObservedAt = Seconds(now),
        AffectedCrRef = observation.Affected,
        DriftReason = observation.Reason,
        EscalationCounter = 0,
    };

    private static DateTimeOffset Seconds(DateTimeOffset now) => new(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    [LoggerMessage(1, LogLevel.Information, "{Action} DriftSignal {Namespace}/{Name}: {Reason} (escalations: {Counter})")]
    private static partial void LogWriting(ILogger logger, string action, string @namespace, string name, string reason, int counter);
}
