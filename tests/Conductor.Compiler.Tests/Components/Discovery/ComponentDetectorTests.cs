using Conductor.Compiler.Components.Discovery;
using Conductor.Components;

namespace Conductor.Compiler.Tests.Components.Discovery;

public sealed class ComponentDetectorTests
{
    private static readonly Dictionary<string, string> None = [];

    private static ObservedWorkload Workload(WorkloadKind kind, string ns, string name, Dictionary<string, string>? labels = null, Dictionary<string, string>? pod = null) =>
        new(kind, ns, name, labels ?? None, pod ?? None);

    [Fact]
    public void Detect_LabelsOnObjectOrPodTemplate_MatchRegardlessOfName()
    {
        var observed = new[]
        {
            Workload(WorkloadKind.Deployment, "certs", "my-cm", new() { ["app.kubernetes.io/name"] = "cert-manager", ["app.kubernetes.io/component"] = "controller" }),
            Workload(WorkloadKind.Deployment, "storage", "lpp", pod: new() { ["app"] = "local-path-provisioner" }),
        };

        var detected = ComponentDetector.Detect(ComponentCatalog.All, observed);

        Assert.Equal([("cert-manager", "certs"), ("local-path-provisioner", "storage")], detected.Select(d => (d.Definition.Name, d.Namespace)));
        Assert.Equal(["cert-manager-cainjector", "cert-manager-webhook"], detected[0].Missing.Select(w => w.Name));
        Assert.Empty(detected[1].Missing);
    }

    [Fact]
    public void Detect_NameAloneOrWrongKind_NotMatched()
    {
        var observed = new[]
        {
            Workload(WorkloadKind.Deployment, "x", "kueue-controller-manager", new() { ["control-plane"] = "controller-manager" }),
            Workload(WorkloadKind.Deployment, "x", "cilium", new() { ["k8s-app"] = "cilium" }),
            Workload(WorkloadKind.DaemonSet, "x", "controller", new() { ["app"] = "metallb" }),
        };

        Assert.Empty(ComponentDetector.Detect(ComponentCatalog.All, observed));
    }

    [Fact]
    public void Detect_SameComponentInTwoNamespaces_OneEntryEach()
    {
        var kueue = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "kueue", ["control-plane"] = "controller-manager" };

        var detected = ComponentDetector.Detect(ComponentCatalog.All,
            [Workload(WorkloadKind.Deployment, "b", "k", kueue), Workload(WorkloadKind.Deployment, "a", "k", kueue)]);

        Assert.Equal(["a", "b"], detected.Select(d => d.Namespace));
    }
}
