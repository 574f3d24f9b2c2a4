using Conductor.Compiler.Components;
using Conductor.Components;

namespace Conductor.Compiler.Tests.Components;

public sealed class CatalogSelectionTests
{
    [Fact]
    public void Resolve_NamesInGivenOrder_KeepOrderAndDefaultNamespaces()
    {
        var errors = new List<string>();

        var selected = CatalogSelection.Resolve(["kueue", "cert-manager=certs", "cilium"], ComponentCatalog.All, errors);

        Assert.Empty(errors);
        Assert.Equal([("kueue", "kueue-system"), ("cert-manager", "certs"), ("cilium", "kube-system")],
            selected.Select(s => (s.Definition.Name, s.InstallNamespace)));
    }

    [Fact]
    public void Resolve_UnknownNames_EveryOneReportedWithKnownList()
    {
        var errors = new List<string>();

        CatalogSelection.Resolve(["calico", "kueue", "istio"], ComponentCatalog.All, errors);

        Assert.Equal(2, errors.Count);
        Assert.All(errors, error => Assert.Contains("known components: cert-manager, cilium, cnpg, kueue, local-path-provisioner, metallb", error));
        Assert.Contains("'calico'", errors[0]);
        Assert.Contains("'istio'", errors[1]);
    }

    [Theory]
    [InlineData("cert-manager=Certs")]
    [InlineData("cert-manager=-certs")]
    [InlineData("cert-manager=certs\n")] // the regular expression this replaced accepted the trailing newline
    public void Resolve_NamespaceNotADnsLabel_ReportedNamingTheOption(string value)
    {
        var errors = new List<string>();

        var selected = CatalogSelection.Resolve([value], ComponentCatalog.All, errors);

        Assert.Empty(selected);
        Assert.Equal([$"--component {value}: the namespace after '=' must be a DNS-1123 label (the namespace cert-manager runs in)"], errors);
    }
}
