using Conductor.Resources;
using Conductor.Resources.Seam;
using Conductor.Runner;
using Conductor.Runner.Capabilities;
using k8s.Models;

namespace Conductor.Grains.Sequencing;

/// <summary>
/// Builds the batch/v1 Job for one step attempt (JobProtocol is the contract with conductor-execute). Secrets: the Job
/// mounts <c>seam-mc-{cluster}-kubeconfig</c> (key <c>value</c>) and <c>seam-mc-{cluster}-talosconfig</c> (key
/// <c>talosconfig</c>) from its own namespace, the names the compiler and the reference executor use for a cluster's
/// credentials (federation-execute §2.9, compiler §1.5.5). Each is required when the capability needs it and optional
/// otherwise, so a missing Secret holds the pod back only when the step could not work without it.
/// </summary>
public static class JobFactory
{
    public const string ContainerName = "conductor-execute";
    public const string KubeconfigVolume = "kubeconfig";
    public const string TalosconfigVolume = "talosconfig";
    public const string HostnameLabel = "kubernetes.io/hostname";

    /// <summary>Annotation with the RunnerConfig's <c>namespace/name</c> (the grain key), which labels may have to shorten.</summary>
    public const string RunnerConfigKeyAnnotation = "seam.ontai.dev/runnerconfig-key";

    /// <summary>Label with the step attempt number.</summary>
    public const string AttemptLabel = "seam.ontai.dev/attempt";

    public static string KubeconfigSecret(string cluster) => $"seam-mc-{cluster}-kubeconfig";

    public static string TalosconfigSecret(string cluster) => $"seam-mc-{cluster}-talosconfig";

    /// <summary>Selects the Jobs of one RunnerConfig.</summary>
    public static string Selector(string @namespace, string name) =>
        $"{JobProtocol.RunnerConfigNamespaceLabel}={JobNames.LabelValue(@namespace)},{JobProtocol.RunnerConfigLabel}={JobNames.LabelValue(name)}";

    public static V1Job Build(RunnerConfig config, RunnerStep step, string jobName, int attempt, SequencerOptions options)
    {
        var spec = config.Spec;
        var needs = CapabilityCatalog.Find(step.Capability)?.Needs ?? CapabilityNeeds.None;
        var labels = new Dictionary<string, string>
        {
            [JobProtocol.RunnerConfigNamespaceLabel] = JobNames.LabelValue(config.Metadata.NamespaceProperty),
            [JobProtocol.RunnerConfigLabel] = JobNames.LabelValue(config.Metadata.Name),
            [JobProtocol.StepLabel] = JobNames.LabelValue(step.Name),
            [JobProtocol.CapabilityLabel] = JobNames.LabelValue(step.Capability),
            [JobProtocol.ClusterLabel] = JobNames.LabelValue(spec.ClusterRef),
            [AttemptLabel] = attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = jobName,
                NamespaceProperty = options.Namespace,
                Labels = new Dictionary<string, string>(labels) { [JobProtocol.QueueNameLabel] = options.QueueName },
                Annotations = new Dictionary<string, string> { [RunnerConfigKeyAnnotation] = $"{config.Metadata.NamespaceProperty}/{config.Metadata.Name}" },
                OwnerReferences = OwnerReferences(config, options),
            },
            Spec = new V1JobSpec
            {
                // Kueue admits the Job by unsuspending it; failures are permanent, so no retries (federation-execute §2.9).
                Suspend = true,
                BackoffLimit = 0,
                TtlSecondsAfterFinished = options.JobTtlSeconds,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        RestartPolicy = "Never",
                        ServiceAccountName = options.ServiceAccountName,
                        Affinity = Affinity(spec),
                        SecurityContext = new V1PodSecurityContext { SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
                        Containers = [Container(spec, step, jobName)],
                        Volumes =
                        [
                            SecretVolume(KubeconfigVolume, KubeconfigSecret(spec.ClusterRef), optional: !needs.HasFlag(CapabilityNeeds.TargetCluster)),
                            SecretVolume(TalosconfigVolume, TalosconfigSecret(spec.ClusterRef), optional: !needs.HasFlag(CapabilityNeeds.Talos)),
                        ],
                    },
                },
            },
        };
    }

    /// <summary>
    /// With selfOperation the Job must not land on a node the operation disrupts nor on the operator leader's node
    /// (federation-execute §2.9, spec §13); without it, or with nothing to exclude, there is no affinity at all.
    /// </summary>
    public static V1Affinity? Affinity(RunnerConfigSpec spec)
    {
        if (!spec.SelfOperation)
        {
            return null;
        }
        var excluded = (spec.MaintenanceTargetNodes ?? []).Append(spec.OperatorLeaderNode ?? "")
            .Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (excluded.Count == 0)
        {
            return null;
        }
        var term = new V1NodeSelectorTerm
        {
            MatchExpressions = [new V1NodeSelectorRequirement { Key = HostnameLabel, OperatorProperty = "NotIn", Values = excluded }],
        };
        return new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = [term] },
            },
        };
    }

    private static V1Container Container(RunnerConfigSpec spec, RunnerStep step, string jobName) => new()
    {
        Name = ContainerName,
        Image = spec.AgentImage,
        Env =
        [
            new V1EnvVar { Name = JobProtocol.CapabilityEnvVar, Value = step.Capability },
            new V1EnvVar { Name = JobProtocol.ClusterRefEnvVar, Value = spec.ClusterRef },
            new V1EnvVar { Name = JobProtocol.StepNameEnvVar, Value = step.Name },
            new V1EnvVar { Name = JobProtocol.StepParametersEnvVar, Value = StepParameters.ToJson(step).ToJsonString() },
            new V1EnvVar { Name = JobProtocol.ResultConfigMapEnvVar, Value = jobName },
            new V1EnvVar { Name = JobProtocol.PodNamespaceEnvVar, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.namespace" } } },
            new V1EnvVar { Name = JobProtocol.TargetKubeconfigEnvVar, Value = JobProtocol.TargetKubeconfigPath },
            new V1EnvVar { Name = JobProtocol.TalosconfigEnvVar, Value = JobProtocol.TalosconfigPath },
        ],
        VolumeMounts =
        [
            new V1VolumeMount { MountPath = JobProtocol.TargetKubeconfigMountPath, Name = KubeconfigVolume, ReadOnlyProperty = true },
            new V1VolumeMount { MountPath = JobProtocol.TalosconfigMountPath, Name = TalosconfigVolume, ReadOnlyProperty = true },
        ],
        SecurityContext = new V1SecurityContext
        {
            AllowPrivilegeEscalation = false,
            Capabilities = new V1Capabilities { Drop = ["ALL"] },
        },
    };

    private static V1Volume SecretVolume(string name, string secret, bool optional) => new()
    {
        Name = name,
        Secret = new V1SecretVolumeSource { SecretName = secret, Optional = optional },
    };

    /// <summary>
    /// Kubernetes has no cross-namespace owners, so the RunnerConfig owns its Jobs only when both share a namespace
    /// (in a cluster both live in ont-system); the labels and the key annotation lead back to it either way.
    /// </summary>
    private static List<V1OwnerReference>? OwnerReferences(RunnerConfig config, SequencerOptions options) =>
        config.Metadata.NamespaceProperty == options.Namespace && config.Metadata.Uid is { Length: > 0 } uid
            ? [new V1OwnerReference { ApiVersion = SeamApi.ApiVersion, Kind = RunnerConfig.KindName, Name = config.Metadata.Name, Uid = uid, Controller = true }]
            : null;
}
