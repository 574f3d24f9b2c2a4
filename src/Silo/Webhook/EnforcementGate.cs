using System.Net;
using Conductor.Silo.Leadership;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Webhook;

/// <summary>
/// Audit or strict, for the RBAC-ownership webhook. It starts in audit and turns strict once and for good: the
/// leader flips it by creating ConfigMap <c>conductor-enforcement</c> (data <c>mode: strict</c>) in the agent's
/// namespace, and every replica, leader or not, reads that ConfigMap itself (<see cref="EnforcementStateSync"/>),
/// so a restart or another replica enforces the same mode.
/// </summary>
public sealed partial class EnforcementGate(
    IServiceProvider services, ILeadership leadership, LeaderOnlyWriter writer, IOptions<WebhookOptions> options, TimeProvider time, ILogger<EnforcementGate> logger)
{
    public const string ConfigMapName = "conductor-enforcement";
    public const string ModeKey = "mode";
    public const string StrictValue = "strict";

    private readonly TaskCompletionSource _strict = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _isStrict;
    private int _flips;

    public bool IsStrict => Volatile.Read(ref _isStrict) == 1;

    /// <summary>How many times this replica performed the flip (0 or 1; another replica may have done it).</summary>
    public int Flips => Volatile.Read(ref _flips);

    /// <summary>Completes once the gate is strict.</summary>
    public Task StrictAsync(CancellationToken cancellationToken) => _strict.Task.WaitAsync(cancellationToken);

    /// <summary>Applies the persisted state: a ConfigMap saying strict makes the gate strict; nothing turns it back.</summary>
    public void Observe(V1ConfigMap? persisted)
    {
        if (persisted?.Data is { } data && data.TryGetValue(ModeKey, out var mode) && mode == StrictValue)
        {
            BecomeStrict();
        }
    }

    /// <summary>
    /// Leader only: persists strict mode and applies it. Returns true when this call performed the flip, false when
    /// it had already happened (here or on another replica).
    /// </summary>
    public async Task<bool> FlipToStrictAsync(string reason, CancellationToken cancellationToken)
    {
        if (IsStrict)
        {
            return false;
        }
        var ns = options.Value.Namespace;
        var client = services.GetRequiredService<IKubernetes>();
        var state = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = ConfigMapName,
                NamespaceProperty = ns,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "conductor" },
            },
            Data = new Dictionary<string, string>
            {
                [ModeKey] = StrictValue,
                ["since"] = time.GetUtcNow().ToString("O"),
                ["by"] = leadership.Identity,
                ["reason"] = reason,
            },
        };
        LogFlipping(logger, ns, ConfigMapName, reason);
        try
        {
            await writer.WriteAsync($"switch RBAC enforcement to strict in ConfigMap {ns}/{ConfigMapName}",
                token => client.CoreV1.CreateNamespacedConfigMapAsync(state, ns, cancellationToken: token), cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Created before (by us in an earlier term or by another replica): strict already, the flip happened once.
            Observe(await client.CoreV1.ReadNamespacedConfigMapAsync(ConfigMapName, ns, cancellationToken: cancellationToken));
            return false;
        }
        Interlocked.Increment(ref _flips);
        BecomeStrict();
        LogStrict(logger, ns, ConfigMapName);
        return true;
    }

    private void BecomeStrict()
    {
        if (Interlocked.Exchange(ref _isStrict, 1) == 0)
        {
            _strict.TrySetResult();
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Switching RBAC enforcement to strict in ConfigMap {Namespace}/{Name}: {Reason}")]
    private static partial void LogFlipping(ILogger logger, string @namespace, string name, string reason);

    [LoggerMessage(2, LogLevel.Warning, "RBAC enforcement is strict from now on (ConfigMap {Namespace}/{Name}): RBAC objects without ontai.dev/rbac-owner=guardian are rejected")]
    private static partial void LogStrict(ILogger logger, string @namespace, string name);
}
