using System.Collections.Concurrent;
using Conductor.Grains.Federation.Storage;
using Conductor.Runner;

namespace Conductor.Silo.Custody;

/// <summary>
/// The tenant's overall security state, on this cluster's own RunnerConfig (<c>POD_NAMESPACE</c>/<c>CLUSTER_REF</c>):
/// DegradedSecurityState is True while any PackInstalled or PermissionSnapshot received from management fails
/// verification, with a message naming each failing resource and its cause, and False once every one verifies again.
/// Each receipt decision reports here; the condition is written only when the aggregate changes. A failed write throws,
/// so the caller's retry reports again.
/// </summary>
public sealed class SecurityStateReporter(RunnerConfigConditionWriter writer, string @namespace, string runnerConfig)
{
    /// <summary>Condition reason when every received artifact verified.</summary>
    public const string VerifiedReason = "SignaturesVerified";

    /// <summary>Failing resources named in the message; the rest are counted.</summary>
    private const int NamedInMessage = 5;

    private readonly ConcurrentDictionary<string, string> _failing = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (bool Degraded, string Message)? _written;

    /// <summary>Whether any received artifact currently fails verification.</summary>
    public bool Degraded => !_failing.IsEmpty;

    /// <summary>
    /// Records the latest verdict for <paramref name="resource"/> (kind and name); null forgets it (its receipt was never
    /// written because management has not published it yet).
    /// </summary>
    public async Task ReportAsync(string resource, CustodyVerdict? verdict, CancellationToken cancellationToken)
    {
        if (verdict is null || verdict.Verified)
        {
            _failing.TryRemove(resource, out _);
        }
        else
        {
            _failing[resource] = verdict.Reason;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var failing = _failing.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Value).ToList();
            var degraded = failing.Count > 0;
            var message = degraded
                ? string.Join("; ", failing.Take(NamedInMessage)) + (failing.Count > NamedInMessage ? $"; and {failing.Count - NamedInMessage} more" : "")
                : "Every PackInstalled and PermissionSnapshot received from management verified";
            if (_written == (degraded, message))
            {
                return;
            }
            var outcome = await writer.SetAsync(@namespace, runnerConfig, ConditionTypes.DegradedSecurityState, degraded,
                degraded ? ConditionReasons.SignatureInvalid : VerifiedReason, message, cancellationToken);
            if (outcome != RunnerConfigConditionWriter.Outcome.RunnerConfigMissing)
            {
                _written = (degraded, message); // a missing RunnerConfig is tried again at the next report
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
