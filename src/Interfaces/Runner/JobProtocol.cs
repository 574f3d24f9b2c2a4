namespace Conductor.Runner;

/// <summary>
/// The contract between the step sequencer, which creates one Kueue Job per RunnerConfig step, and
/// conductor-execute, which runs in that Job: what the Job's environment carries, where the secrets are mounted, how
/// the Job is labelled, and where the result is written (ConfigMap named after the Job, key <see cref="ResultKey"/>).
/// </summary>
public static class JobProtocol
{
    /// <summary>Namespace of the Jobs and of their result ConfigMaps.</summary>
    public const string Namespace = "ont-system";

    /// <summary>Data key of the result ConfigMap that holds the OperationResult JSON.</summary>
    public const string ResultKey = "result";

    /// <summary>Env: the capability name, exactly as in the catalog.</summary>
    public const string CapabilityEnvVar = "CAPABILITY";

    /// <summary>Env: the target cluster's name.</summary>
    public const string ClusterRefEnvVar = "CLUSTER_REF";

    /// <summary>Env: the RunnerConfig step this Job runs.</summary>
    public const string StepNameEnvVar = "STEP_NAME";

    /// <summary>Env: the step's parameters as one JSON object (absent or empty means none).</summary>
    public const string StepParametersEnvVar = "STEP_PARAMETERS";

    /// <summary>Env: the name of the ConfigMap to write the result into; the sequencer sets it to the Job's name.</summary>
    public const string ResultConfigMapEnvVar = "RESULT_CONFIGMAP";

    /// <summary>Env: the namespace the Job runs in, from the downward API; default <see cref="Namespace"/>.</summary>
    public const string PodNamespaceEnvVar = "POD_NAMESPACE";

    /// <summary>Env: path of the target cluster's kubeconfig; default <see cref="TargetKubeconfigPath"/>.</summary>
    public const string TargetKubeconfigEnvVar = "TARGET_KUBECONFIG";

    /// <summary>Env: path of the target cluster's talosconfig; default <see cref="TalosconfigPath"/>.</summary>
    public const string TalosconfigEnvVar = "TALOSCONFIG";

    /// <summary>Mount directory of the target kubeconfig Secret (read-only).</summary>
    public const string TargetKubeconfigMountPath = "/var/run/secrets/kubeconfig";

    /// <summary>The kubeconfig file inside its mount: Secret key <c>value</c>.</summary>
    public const string TargetKubeconfigPath = TargetKubeconfigMountPath + "/value";

    /// <summary>Mount directory of the talosconfig Secret (read-only).</summary>
    public const string TalosconfigMountPath = "/var/run/secrets/talosconfig";

    /// <summary>The talosconfig file inside its mount: Secret key <c>talosconfig</c>.</summary>
    public const string TalosconfigPath = TalosconfigMountPath + "/talosconfig";

    /// <summary>The LocalQueue in ont-system that step Jobs are admitted through; <c>compiler enable</c> creates it.</summary>
    public const string StepQueueName = "conductor-steps";

    /// <summary>Kueue's label naming the LocalQueue a Job is admitted through.</summary>
    public const string QueueNameLabel = "kueue.x-k8s.io/queue-name";

    /// <summary>Label on the Job, its pod and its result ConfigMap: the RunnerConfig's name.</summary>
    public const string RunnerConfigLabel = "seam.ontai.dev/runnerconfig";

    /// <summary>Label on the Job, its pod and its result ConfigMap: the RunnerConfig's namespace.</summary>
    public const string RunnerConfigNamespaceLabel = "seam.ontai.dev/runnerconfig-namespace";

    /// <summary>Label on the Job, its pod and its result ConfigMap: the step name.</summary>
    public const string StepLabel = "seam.ontai.dev/step";

    /// <summary>Label on the Job, its pod and its result ConfigMap: the capability.</summary>
    public const string CapabilityLabel = "seam.ontai.dev/capability";

    /// <summary>Label on the Job, its pod and its result ConfigMap: the target cluster.</summary>
    public const string ClusterLabel = "seam.ontai.dev/cluster";

    /// <summary>Exit codes of conductor-execute, which the sequencer reads from the Job's pod.</summary>
    public static class ExitCodes
    {
        /// <summary>A result was recorded, whether the capability succeeded or failed.</summary>
        public const int ResultRecorded = 0;

        /// <summary>No result could be recorded; the sequencer treats the step as failed with no result.</summary>
        public const int NoResultRecorded = 1;

        /// <summary>The program was asked to break an invariant (another program's mode); see InvariantViolation.</summary>
        public const int InvariantViolation = 2;
    }
}
