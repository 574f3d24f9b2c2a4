using Conductor.Runner;
using Microsoft.Extensions.Configuration;

namespace Conductor.Grains.Sequencing;

/// <summary>Settings of the step sequencer. Bound from environment variables of the same name.</summary>
public sealed class SequencerOptions
{
    public const string NamespaceEnvVar = "SEQUENCER_NAMESPACE";
    public const string QueueNameEnvVar = "SEQUENCER_QUEUE_NAME";
    public const string JobTtlSecondsEnvVar = "SEQUENCER_JOB_TTL_SECONDS";
    public const string ServiceAccountEnvVar = "SEQUENCER_SERVICE_ACCOUNT";

    /// <summary>
    /// Namespace of the watched RunnerConfigs and of the step Jobs and result ConfigMaps (<c>SEQUENCER_NAMESPACE</c>);
    /// <c>ont-system</c> in a cluster (DESIGN §6), a namespace of their own in tests.
    /// </summary>
    [ConfigurationKeyName(NamespaceEnvVar)]
    public string Namespace { get; set; } = JobProtocol.Namespace;

    /// <summary>Kueue LocalQueue in <see cref="Namespace"/> that admits step Jobs (<c>SEQUENCER_QUEUE_NAME</c>).</summary>
    [ConfigurationKeyName(QueueNameEnvVar)]
    public string QueueName { get; set; } = JobProtocol.StepQueueName;

    /// <summary>
    /// Seconds a finished Job is kept (<c>SEQUENCER_JOB_TTL_SECONDS</c>). Its result ConfigMap has no TTL, so a result
    /// is still harvested when the silo was down for longer than this.
    /// </summary>
    [ConfigurationKeyName(JobTtlSecondsEnvVar)]
    public int JobTtlSeconds { get; set; } = 600;

    /// <summary>Service account of the step pods (<c>SEQUENCER_SERVICE_ACCOUNT</c>); it may write ConfigMaps in <see cref="Namespace"/>.</summary>
    [ConfigurationKeyName(ServiceAccountEnvVar)]
    public string ServiceAccountName { get; set; } = "conductor-execute";
}
