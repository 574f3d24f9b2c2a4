namespace Conductor.Runner;

/// <summary>Reasons paired with <see cref="ConditionTypes"/>, CamelCase as Kubernetes condition reasons are.</summary>
public static class ConditionReasons
{
    public const string StepsCompleted = "StepsCompleted";
    public const string StepFailed = "StepFailed";

    /// <summary>The RunnerConfig spec failed validation before any Job was created; the message lists every problem.</summary>
    public const string SpecInvalid = "SpecInvalid";
    public const string HeartbeatsMissed = "HeartbeatsMissed";
    public const string SignatureInvalid = "SignatureInvalid";
    public const string CapabilityNotDeclared = "CapabilityNotDeclared";
}
