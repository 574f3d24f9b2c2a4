namespace Conductor.Silo.Drift;

/// <summary>What the handler did with one signal.</summary>
public enum DriftHandling
{
    /// <summary>Not a pending pack signal in a <c>seam-tenant-</c> namespace, or TerminalDrift is already recorded.</summary>
    Ignored,

    /// <summary>The PackExecution was deleted (so it is recreated and the pack redeployed); queued with correctionJobRef.</summary>
    Redeployed,

    /// <summary>No PackExecution to redeploy: queued without correctionJobRef, so the tenant will not count it.</summary>
    QueuedWithoutRedeploy,

    /// <summary>The escalation limit is reached: TerminalDrift recorded, nothing redeployed.</summary>
    Terminal,
}
