namespace Conductor.Runner;

/// <summary>Reasons paired with <see cref="ConditionTypes"/>, CamelCase as Kubernetes condition reasons are.</summary>
public static class ConditionReasons
{
    public const string StepsCompleted = "StepsCompleted";
    public const string StepFailed = "StepFailed";
    public const string HeartbeatsMissed = "HeartbeatsMissed";
    public const string SignatureInvalid = "SignatureInvalid";
    public const string CapabilityNotDeclared = "CapabilityNotDeclared";
}
