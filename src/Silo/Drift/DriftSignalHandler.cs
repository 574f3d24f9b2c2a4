using System.Net;
using Conductor.Resources;
using Conductor.Resources.Dispatcher;
using Conductor.Resources.Platform;
using Conductor.Resources.Seam;
using Conductor.Silo.Leadership;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Silo.Drift;

/// <summary>
/// Management's half of the DriftSignal state machine (agent notes §3.7) for one signal. A pending pack signal
/// below the limit redeploys by deleting PackExecution <c>{signal minus drift-}-{cluster}</c>, which its owner
/// recreates (the reference's smallest action), and moves the signal to queued, naming the PackExecution in
/// <c>correctionJobRef</c> only when one was deleted: the tenant counts an escalation only then. At the limit it
/// records TerminalDrift once (the reference rewrote it every 30 s). Version signals belong to the platform operator.
/// </summary>
public sealed partial class DriftSignalHandler(IKubernetes client, LeaderOnlyWriter writer, TimeProvider time, int escalationLimit, ILogger logger)
{
    public const string TerminalDriftCondition = "TerminalDrift";
    public const string TerminalDriftReason = "EscalationThresholdReached";

    public async Task<DriftHandling> HandleAsync(DriftSignal signal, CancellationToken cancellationToken)
    {
        var ns = signal.Metadata.NamespaceProperty;
        var name = signal.Metadata.Name;
        if (DriftNames.ClusterOf(ns) is not { } cluster || signal.Spec.State != DriftState.Pending
            || signal.Spec.AffectedCrRef?.Kind == TalosCluster.KindName)
        {
            return DriftHandling.Ignored;
        }
        if (signal.Spec.EscalationCounter >= escalationLimit)
        {
            return await RecordTerminalAsync(signal, cancellationToken);
        }
        var execution = DriftNames.PackExecution(name, cluster);
        var redeployed = await RedeployAsync(ns, name, execution, cancellationToken);
        signal.Spec = signal.Spec with { State = DriftState.Queued, CorrectionJobRef = redeployed ? execution : null };
        await writer.WriteAsync($"queue DriftSignal {ns}/{name}", token => DriftSignalStore.WriteSpecAsync(client, signal, token), cancellationToken);
        return redeployed ? DriftHandling.Redeployed : DriftHandling.QueuedWithoutRedeploy;
    }

    private async Task<bool> RedeployAsync(string ns, string signal, string execution, CancellationToken cancellationToken)
    {
        PackExecution found;
        try
        {
            found = await client.CustomObjects.GetNamespacedCustomObjectAsync<PackExecution>(SeamApi.Group, SeamApi.Version, ns, PackExecution.Plural,
                execution, cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            LogNothingToRedeploy(logger, ns, signal, execution);
            return false;
        }
        LogRedeploying(logger, ns, signal, execution);
        try
        {
            // Preconditioned on the uid read, so a PackExecution its owner already recreated is not deleted again.
            await writer.WriteAsync($"delete PackExecution {ns}/{execution}", token => client.CustomObjects.DeleteNamespacedCustomObjectAsync(
                SeamApi.Group, SeamApi.Version, ns, PackExecution.Plural, execution,
                new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = found.Metadata.Uid } }, cancellationToken: token), cancellationToken);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            LogNothingToRedeploy(logger, ns, signal, execution);
            return false;
        }
    }

    private async Task<DriftHandling> RecordTerminalAsync(DriftSignal signal, CancellationToken cancellationToken)
    {
        var conditions = signal.Status?.Conditions ?? [];
        if (conditions.Any(c => c.Type == TerminalDriftCondition && c.Status == "True"))
        {
            return DriftHandling.Ignored;
        }
        LogTerminal(logger, signal.Metadata.NamespaceProperty, signal.Metadata.Name, signal.Spec.EscalationCounter, signal.Spec.DriftReason ?? "");
        var terminal = new V1Condition
        {
            Type = TerminalDriftCondition,
            Status = "True",
            Reason = TerminalDriftReason,
            Message = $"escalation threshold reached without resolution after {signal.Spec.EscalationCounter} redeploys: {signal.Spec.DriftReason}",
            LastTransitionTime = time.GetUtcNow().UtcDateTime,
            ObservedGeneration = signal.Metadata.Generation,
        };
        signal.Status = new DriftSignalStatus
        {
            ObservedGeneration = signal.Metadata.Generation,
            Conditions = [.. conditions.Where(c => c.Type != TerminalDriftCondition), terminal],
        };
        await writer.WriteAsync($"record TerminalDrift on DriftSignal {signal.Metadata.NamespaceProperty}/{signal.Metadata.Name}",
            token => DriftSignalStore.WriteStatusAsync(client, signal, token), cancellationToken);
        return DriftHandling.Terminal;
    }

    [LoggerMessage(1, LogLevel.Information, "Redeploying for DriftSignal {Namespace}/{Name}: deleting PackExecution {Execution} so it is recreated")]
    private static partial void LogRedeploying(ILogger logger, string @namespace, string name, string execution);

    [LoggerMessage(2, LogLevel.Warning, "DriftSignal {Namespace}/{Name}: no PackExecution {Execution} to redeploy; queued without a correction, so the drift is not escalated; redeploy the pack by hand or check its PackExecution")]
    private static partial void LogNothingToRedeploy(ILogger logger, string @namespace, string name, string execution);

    [LoggerMessage(3, LogLevel.Error, "DriftSignal {Namespace}/{Name} reached TerminalDrift after {Counter} redeploys without resolution ({Reason}); fix the cluster by hand, then delete the signal")]
    private static partial void LogTerminal(ILogger logger, string @namespace, string name, int counter, string reason);
}
