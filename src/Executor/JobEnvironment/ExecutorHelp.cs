namespace Conductor.Executor.JobEnvironment;

/// <summary>The executor's <c>--help</c>: the job protocol it reads from its environment and its exit codes.</summary>
public static class ExecutorHelp
{
    public const string ProgramName = "conductor-execute";

    public static bool IsRequested(IReadOnlyList<string> args) => args.Any(a => a is "--help" or "-h");

    public static void Write(TextWriter stdout) => stdout.Write(
        """
        conductor-execute: runs one named capability as a Kueue Job on the management cluster (execute mode).

        Usage: conductor-execute [--help]

        The step sequencer creates one Job per RunnerConfig step and sets its environment:
          CAPABILITY         capability name, exactly as in the catalog (required)
          CLUSTER_REF        target cluster name (required)
          STEP_NAME          RunnerConfig step this Job runs (required)
          STEP_PARAMETERS    step parameters as one JSON object, checked against the capability's schema
          RESULT_CONFIGMAP   ConfigMap to write the result into; the Job's name (required)
          POD_NAMESPACE      namespace of the result ConfigMap (default ont-system)
          TARGET_KUBECONFIG  target cluster kubeconfig (default /var/run/secrets/kubeconfig/value)
          TALOSCONFIG        target cluster talosconfig (default /var/run/secrets/talosconfig/talosconfig)
          SIGNING_PUBLIC_KEYS_DIR  trusted management public keys, one PKIX PEM per file
                             (default /var/run/secrets/seam-signing-public; pack-deploy, rbac-provision)
          PACK_READY_TIMEOUT_SECONDS  pack-deploy readiness wait, 1-3600 (default 300)
          DOCKER_CONFIG      directory of a Docker config.json with pack registry credentials (default: anonymous)
          CONDUCTOR_MODE     if set, must be 'execute'; compile and agent belong to other programs
        The management cluster is reached in-cluster, or through KUBECONFIG outside a pod.

        Result: ConfigMap {RESULT_CONFIGMAP} in {POD_NAMESPACE}, key 'result', holding the OperationResult JSON
        (capability, phase, status, startedAt, completedAt, artifacts, failureReason, steps).

        Exit codes: 0 a result was recorded (the capability succeeded or failed); 1 no result could be recorded;
        2 InvariantViolation (asked for another program's mode).

        """);
}
