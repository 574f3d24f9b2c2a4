using System.Net;
using Conductor.Resources;
using Conductor.Resources.Guardian;
using Conductor.Silo.Webhook;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Sweep;

/// <summary>
/// Last step: once a sweep pass has completed without errors and this cluster's PermissionSnapshotReceipt says the
/// snapshot verified and was acknowledged, the RBAC-ownership webhook turns strict (once; it never turns back).
/// </summary>
public sealed partial class EnforcementStep(
    IKubernetes client, EnforcementGate gate, IOptions<SweepOptions> options, ILogger<EnforcementStep> logger) : ISweepStep
{
    public string Name => "enforcement";

    public async Task<SweepStepResult> RunAsync(SweepContext context, CancellationToken cancellationToken)
    {
        if (gate.IsStrict)
        {
            return SweepStepResult.Continue;
        }
        if (context.Errors.Count > 0)
        {
            LogNotYet(logger, $"the sweep had {context.Errors.Count} errors");
            return SweepStepResult.Continue;
        }
        var receipt = await VerifiedReceiptAsync(cancellationToken);
        if (receipt is null)
        {
            LogNotYet(logger, $"no verified and acknowledged PermissionSnapshotReceipt for cluster {options.Value.ClusterName} in {options.Value.Namespace}");
            return SweepStepResult.Continue;
        }
        context.Flipped = await gate.FlipToStrictAsync(
            $"bootstrap sweep completed and PermissionSnapshotReceipt {receipt.Metadata.Name} verified version {receipt.Status?.AcknowledgedVersion}",
            cancellationToken);
        return SweepStepResult.Continue;
    }

    private async Task<PermissionSnapshotReceipt?> VerifiedReceiptAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        ReceiptList list;
        try
        {
            list = await client.CustomObjects.ListNamespacedCustomObjectAsync<ReceiptList>(
                GuardianApi.Group, GuardianApi.Version, settings.Namespace, PermissionSnapshotReceipt.Plural, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        return list.Items?.FirstOrDefault(r => r.Spec.TargetCluster == settings.ClusterName
            && r.Status is { Verified: true, Acknowledged: true } status && status.DegradedSecurityState != true);
    }

    private sealed class ReceiptList
    {
        [System.Text.Json.Serialization.JsonPropertyName("items")]
        public List<PermissionSnapshotReceipt>? Items { get; set; }
    }

    [LoggerMessage(1, LogLevel.Information, "RBAC enforcement stays in audit: {Reason}")]
    private static partial void LogNotYet(ILogger logger, string reason);
}
