using System.Text.Json;

namespace Conductor.Grains.Sequencing;

/// <summary>
/// What the in-flight step's Job shows: absent, gone (absent after this activation saw it exist), waiting for Kueue,
/// running, or finished one way or the other.
/// </summary>
public enum JobState
{
    Absent,
    Gone,
    Suspended,
    Active,
    Complete,
    Failed,
}

/// <summary>
/// The in-flight step as observed in Kubernetes: its Job's state and, once there is one, the OperationResult document
/// from the result ConfigMap named after the Job (null when that ConfigMap does not exist).
/// </summary>
public sealed record StepObservation(string StepName, JobState Job, JsonElement? Result);
