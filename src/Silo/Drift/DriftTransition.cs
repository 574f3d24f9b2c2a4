using Conductor.Resources.Seam;

namespace Conductor.Silo.Drift;

/// <summary>What the tenant does to signal <c>drift-…</c> after one observation.</summary>
public enum DriftAction
{
    /// <summary>Leave the signal as it is.</summary>
    None,

    /// <summary>Create it: pending, counter 0.</summary>
    Create,

    /// <summary>Drift persists after management acted: back to pending, counter + 1.</summary>
    Escalate,

    /// <summary>The drift is gone after management acted: confirmed, correlation cleared.</summary>
    Confirm,

    /// <summary>A confirmed signal's drift came back: start a fresh occurrence (pending, counter 0).</summary>
    Restart,
}

/// <summary>
/// The tenant half of the DriftSignal state machine (agent notes §3.6.3, §3.8), shared by pack and version drift.
/// Unlike the reference, a signal still <c>pending</c> is never escalated: the counter advances only after management
/// moved it to <c>queued</c> with a correction (a redeploy) recorded in <c>correctionJobRef</c>, so a slow handler
/// cannot push a signal to TerminalDrift without any redeploy having happened (reference §9 item 7).
/// </summary>
public static class DriftTransition
{
    /// <summary>Default escalations after which management stops retrying and records TerminalDrift.</summary>
    public const int EscalationLimit = 3;

    public static DriftAction Next(DriftSignalSpec? existing, bool drifted, int limit = EscalationLimit)
    {
        if (existing is null)
        {
            return drifted ? DriftAction.Create : DriftAction.None;
        }
        if (!drifted)
        {
            return existing.State == DriftState.Queued ? DriftAction.Confirm : DriftAction.None;
        }
        return existing.State switch
        {
            DriftState.Confirmed => DriftAction.Restart,
            DriftState.Queued when existing.EscalationCounter >= limit => DriftAction.None,
            DriftState.Queued when !string.IsNullOrEmpty(existing.CorrectionJobRef) => DriftAction.Escalate,
            // Queued without a correction: management found nothing to redeploy, so nothing happened to count.
            _ => DriftAction.None,
        };
    }
}
