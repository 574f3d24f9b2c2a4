using System.Text.Json.Serialization;
using Conductor.Resources.Schema;

namespace Conductor.Resources.Seam;

/// <summary>Desired execution for one cluster.</summary>
public sealed record RunnerConfigSpec
{
    /// <summary>Name of the cluster (TalosCluster) the steps operate on.</summary>
    [JsonPropertyName("clusterRef"), Required, MinLength(1)]
    public string ClusterRef { get; init; } = "";

    /// <summary>Image of <c>conductor-execute</c> that runs each step; its tag encodes the Talos version.</summary>
    [JsonPropertyName("agentImage"), Required, MinLength(1)]
    public string AgentImage { get; init; } = "";

    [JsonPropertyName("phases")]
    public IReadOnlyList<RunnerPhase>? Phases { get; init; }

    /// <summary>Steps in declared order; the sequencer runs each as one Job, honouring dependsOn.</summary>
    [JsonPropertyName("steps")]
    public IReadOnlyList<RunnerStep>? Steps { get; init; }

    [JsonPropertyName("operationalHistory")]
    public IReadOnlyList<OperationalHistoryEntry>? OperationalHistory { get; init; }

    /// <summary>Nodes the operation disrupts; with <see cref="SelfOperation"/> no step Job is scheduled on them.</summary>
    [JsonPropertyName("maintenanceTargetNodes")]
    public IReadOnlyList<string>? MaintenanceTargetNodes { get; init; }

    /// <summary>Node running the operator leader; excluded from step Jobs when <see cref="SelfOperation"/> is set.</summary>
    [JsonPropertyName("operatorLeaderNode")]
    public string? OperatorLeaderNode { get; init; }

    /// <summary>True when the steps operate on the cluster that runs them (node-affinity exclusions apply).</summary>
    [JsonPropertyName("selfOperation")]
    public bool SelfOperation { get; init; }
}

/// <summary>A named phase of the runner's work with string parameters.</summary>
public sealed record RunnerPhase
{
    [JsonPropertyName("name"), Required, MinLength(1)]
    public string Name { get; init; } = "";

    [JsonPropertyName("parameters")]
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }
}

/// <summary>One step: a capability run as one Job with string parameters.</summary>
public sealed record RunnerStep
{
    /// <summary>Unique within the RunnerConfig; names the Job and the result ConfigMap.</summary>
    [JsonPropertyName("name"), Required, MinLength(1)]
    public string Name { get; init; } = "";

    /// <summary>A capability name from the runner catalog, for example <c>etcd-backup</c>.</summary>
    [JsonPropertyName("capability"), Required, MinLength(1)]
    public string Capability { get; init; } = "";

    [JsonPropertyName("parameters")]
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }

    /// <summary>Names of steps that must have succeeded before this one starts.</summary>
    [JsonPropertyName("dependsOn")]
    public IReadOnlyList<string>? DependsOn { get; init; }

    /// <summary>When true a failure of this step stops the sequence; later steps are Skipped.</summary>
    [JsonPropertyName("haltOnFailure")]
    public bool HaltOnFailure { get; init; }
}

/// <summary>An audit line: one change applied to the cluster, by whom and when.</summary>
public sealed record OperationalHistoryEntry
{
    [JsonPropertyName("appliedAt"), Required]
    public DateTimeOffset AppliedAt { get; init; }

    /// <summary>What changed, for example <c>talosVersion</c>.</summary>
    [JsonPropertyName("concern"), Required]
    public string Concern { get; init; } = "";

    [JsonPropertyName("previousValue")]
    public string? PreviousValue { get; init; }

    [JsonPropertyName("newValue"), Required]
    public string NewValue { get; init; } = "";

    [JsonPropertyName("appliedBy"), Required]
    public string AppliedBy { get; init; } = "";
}
