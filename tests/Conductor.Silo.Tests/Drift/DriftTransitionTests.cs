using Conductor.Resources.Seam;
using Conductor.Silo.Drift;

namespace Conductor.Silo.Tests.Drift;

/// <summary>The tenant half of the DriftSignal state machine; counters advance only after a recorded redeploy.</summary>
public sealed class DriftTransitionTests
{
    private static DriftSignalSpec Signal(DriftState state, int counter = 0, string? correction = null) =>
        new() { State = state, EscalationCounter = counter, CorrectionJobRef = correction };

    [Fact]
    public void Next_NoSignalAndDrift_Creates() => Assert.Equal(DriftAction.Create, DriftTransition.Next(null, drifted: true));

    [Fact]
    public void Next_NoSignalNoDrift_DoesNothing() => Assert.Equal(DriftAction.None, DriftTransition.Next(null, drifted: false));

    [Fact]
    public void Next_PendingStillDrifted_DoesNotEscalateBecauseManagementHasNotActed() =>
        Assert.Equal(DriftAction.None, DriftTransition.Next(Signal(DriftState.Pending, 1), drifted: true));

    [Fact]
    public void Next_QueuedAfterRedeployStillDrifted_Escalates() =>
        Assert.Equal(DriftAction.Escalate, DriftTransition.Next(Signal(DriftState.Queued, 1, "nginx-ccs-dev-ccs-dev"), drifted: true));

    [Fact]
    public void Next_QueuedWithoutRedeployStillDrifted_DoesNotEscalate() =>
        Assert.Equal(DriftAction.None, DriftTransition.Next(Signal(DriftState.Queued, 1), drifted: true));

    [Fact]
    public void Next_QueuedAtLimit_DoesNothing() =>
        Assert.Equal(DriftAction.None, DriftTransition.Next(Signal(DriftState.Queued, DriftTransition.EscalationLimit, "pe"), drifted: true));

    [Fact]
    public void Next_QueuedAndHealthy_Confirms() =>
        Assert.Equal(DriftAction.Confirm, DriftTransition.Next(Signal(DriftState.Queued, 2, "pe"), drifted: false));

    [Fact]
    public void Next_PendingAndHealthy_LeavesItForManagement() =>
        Assert.Equal(DriftAction.None, DriftTransition.Next(Signal(DriftState.Pending), drifted: false));

    [Fact]
    public void Next_ConfirmedDriftReturns_Restarts() =>
        Assert.Equal(DriftAction.Restart, DriftTransition.Next(Signal(DriftState.Confirmed, 2), drifted: true));
}
