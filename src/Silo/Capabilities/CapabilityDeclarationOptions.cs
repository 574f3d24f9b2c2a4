namespace Conductor.Silo.Capabilities;

/// <summary>Timing of the capability declaration into <c>RunnerConfig {cluster}</c> status.</summary>
public sealed class CapabilityDeclarationOptions
{
    public const string RecheckIntervalEnvVar = "CAPABILITY_RECHECK_INTERVAL";

    /// <summary>Namespace of the RunnerConfig (<c>POD_NAMESPACE</c>).</summary>
    public string Namespace { get; set; } = "ont-system";

    /// <summary>Name of the RunnerConfig: the cluster's name (<c>CLUSTER_REF</c>).</summary>
    public string RunnerConfigName { get; set; } = "";

    /// <summary>First retry delay after a failed write; doubled per failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a declared manifest is compared with the RunnerConfig again (<c>CAPABILITY_RECHECK_INTERVAL</c>,
    /// default 30 s), so a recreated RunnerConfig gets it back.
    /// </summary>
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    internal List<string> Unreadable { get; } = [];
}
