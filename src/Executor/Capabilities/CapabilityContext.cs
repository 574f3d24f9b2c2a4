using System.Text.Json.Nodes;
using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conductor.Executor.Capabilities;

/// <summary>What a handler works with: the validated step and the clients this Job can reach.</summary>
public sealed record CapabilityContext(
    string ClusterRef,
    string StepName,
    JsonObject Parameters,
    IKubernetes Management,
    string TargetKubeconfigPath,
    string TalosconfigPath,
    TimeProvider Time)
{
    /// <summary>Directory of the trusted management public keys (<c>SIGNING_PUBLIC_KEYS_DIR</c>).</summary>
    public string TrustedKeysDirectory { get; init; } = JobEnvironment.ExecutorOptions.DefaultTrustedKeysDirectory;

    /// <summary>How long pack-deploy waits for readiness (<c>PACK_READY_TIMEOUT_SECONDS</c>).</summary>
    public TimeSpan ReadyTimeout { get; init; } = JobEnvironment.ExecutorOptions.DefaultReadyTimeout;

    /// <summary>Where a handler logs what it did per step (the executor's JSON console in a Job).</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
}
