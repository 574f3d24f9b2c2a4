using System.Text.Json.Nodes;
using k8s;

namespace Conductor.Executor.Capabilities;

/// <summary>What a handler works with: the validated step and the clients this Job can reach.</summary>
public sealed record CapabilityContext(
    string ClusterRef,
    string StepName,
    JsonObject Parameters,
    IKubernetes Management,
    string TargetKubeconfigPath,
    string TalosconfigPath,
    TimeProvider Time);
