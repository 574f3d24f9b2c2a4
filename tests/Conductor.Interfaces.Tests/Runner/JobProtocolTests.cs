using Conductor.Runner;

namespace Conductor.Interfaces.Tests.Runner;

public sealed class JobProtocolTests
{
    // Written out so that renaming a constant, which would break Jobs already created by an older sequencer, fails here.
    [Fact]
    public void Constants_Always_FixedWireNames()
    {
        Assert.Equal("ont-system", JobProtocol.Namespace);
        Assert.Equal("result", JobProtocol.ResultKey);
        Assert.Equal(
            ["CAPABILITY", "CLUSTER_REF", "STEP_NAME", "STEP_PARAMETERS", "RESULT_CONFIGMAP", "POD_NAMESPACE", "TARGET_KUBECONFIG", "TALOSCONFIG"],
            [JobProtocol.CapabilityEnvVar, JobProtocol.ClusterRefEnvVar, JobProtocol.StepNameEnvVar, JobProtocol.StepParametersEnvVar,
             JobProtocol.ResultConfigMapEnvVar, JobProtocol.PodNamespaceEnvVar, JobProtocol.TargetKubeconfigEnvVar, JobProtocol.TalosconfigEnvVar]);
        Assert.Equal("kueue.x-k8s.io/queue-name", JobProtocol.QueueNameLabel);
        Assert.Equal("/var/run/secrets/kubeconfig/value", JobProtocol.TargetKubeconfigPath);
        Assert.Equal("/var/run/secrets/talosconfig/talosconfig", JobProtocol.TalosconfigPath);
        Assert.Equal((0, 1, 2), (JobProtocol.ExitCodes.ResultRecorded, JobProtocol.ExitCodes.NoResultRecorded, JobProtocol.ExitCodes.InvariantViolation));
    }

    [Fact]
    public void ConditionTypes_Always_FixedNames()
    {
        var names = typeof(ConditionTypes).GetFields().Select(f => (string)f.GetRawConstantValue()!).ToArray();

        Assert.Equal(
            ["LaunchComplete", "EnableComplete", "BootstrapComplete", "PhaseFailed", "CapabilityUnavailable", "FederationChannelDegraded",
             "AuditWALFull", "DegradedSecurityState", "PermissionSnapshotAcknowledged", "Completed", "Failed"],
            names);
        Assert.All(typeof(ConditionTypes).GetFields(), f => Assert.Equal(f.Name, f.GetRawConstantValue()));
    }
}
