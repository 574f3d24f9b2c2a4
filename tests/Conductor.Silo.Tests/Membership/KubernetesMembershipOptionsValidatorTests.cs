using Conductor.Silo.Membership;

namespace Conductor.Silo.Tests.Membership;

public sealed class KubernetesMembershipOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var result = new KubernetesMembershipOptionsValidator("conductor").Validate(null, new KubernetesMembershipOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_BadClusteringNamespaceAndClusterId_ReportsEachNamingTheSetting()
    {
        var options = new KubernetesMembershipOptions { Clustering = "redis", Namespace = "Ont_System" };

        var result = new KubernetesMembershipOptionsValidator("Bad Cluster").Validate(null, options);

        var failures = Assert.IsAssignableFrom<IEnumerable<string>>(result.Failures).ToList();
        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, failure => failure.StartsWith("ORLEANS_CLUSTERING 'redis'", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.StartsWith("ORLEANS_MEMBERSHIP_NAMESPACE 'Ont_System'", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.StartsWith("ORLEANS_CLUSTER_ID 'Bad Cluster'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("seam-system\n", "conductor")] // the regular expressions this replaced accepted a trailing newline
    [InlineData("seam-system", "conductor\n")]
    public void Validate_TrailingNewline_Refused(string ns, string clusterId)
    {
        var result = new KubernetesMembershipOptionsValidator(clusterId).Validate(null, new KubernetesMembershipOptions { Namespace = ns });

        var failure = Assert.Single(Assert.IsAssignableFrom<IEnumerable<string>>(result.Failures));
        Assert.StartsWith(ns.EndsWith('\n') ? "ORLEANS_MEMBERSHIP_NAMESPACE" : "ORLEANS_CLUSTER_ID", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData(null, "10.96.0.1", true)]
    [InlineData("localhost", "10.96.0.1", false)]
    [InlineData("kubernetes", null, true)]
    public void UsesKubernetes_SettingAndInCluster_ExplicitSettingWinsElseInClusterDecides(string? clustering, string? serviceHost, bool expected)
    {
        var options = new KubernetesMembershipOptions { Clustering = clustering, KubernetesServiceHost = serviceHost };

        Assert.Equal(expected, options.UsesKubernetes);
    }
}
