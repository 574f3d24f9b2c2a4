using Conductor.Compiler.OperatorBundle.Rbac;
using k8s.Models;

namespace Conductor.Compiler.OperatorBundle.Workloads;

/// <summary>One Seam operator the bundle deploys: where it runs, what it may do and how its container is sized.</summary>
public sealed record Operator(
    string Name,
    string Namespace,
    OperatorPermissions Permissions,
    V1ResourceRequirements Resources)
{
    public string ServiceAccount => Name;

    public string LeaseName => $"{Name}-leader";

    public string Principal => $"system:serviceaccount:{Namespace}:{ServiceAccount}";

    public const int MetricsPort = 8080;
    public const int WebhookPort = 9443;

    public static V1ResourceRequirements Sized(string cpuRequest, string memoryRequest, string cpuLimit, string memoryLimit) => new()
    {
        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpuRequest), ["memory"] = new(memoryRequest) },
        Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpuLimit), ["memory"] = new(memoryLimit) },
    };

    public static readonly Operator Guardian = new("guardian", Labels.SeamSystem, OperatorPermissions.GuardianOperator,
        Sized("100m", "128Mi", "500m", "256Mi"));

    public static readonly Operator Platform = new("platform", Labels.SeamSystem, OperatorPermissions.PlatformOperator,
        Sized("100m", "128Mi", "500m", "256Mi"));

    public static readonly Operator Dispatcher = new("dispatcher", Labels.SeamSystem, OperatorPermissions.DispatcherOperator,
        Sized("100m", "128Mi", "500m", "256Mi"));

    public static readonly Operator SeamCore = new("seam-core", Labels.SeamSystem, OperatorPermissions.SeamCoreOperator,
        Sized("50m", "64Mi", "250m", "128Mi"));

    /// <summary>Phase 03's three operators, in the order their objects are written.</summary>
    public static readonly IReadOnlyList<Operator> PlatformDispatcher = [Platform, Dispatcher, SeamCore];

    public static Operator Conductor(AgentRole role) => new("conductor", Labels.OntSystem,
        role == AgentRole.Management ? OperatorPermissions.ConductorManagement : OperatorPermissions.ConductorTenant,
        Sized("100m", "256Mi", "1", "512Mi"));
}
