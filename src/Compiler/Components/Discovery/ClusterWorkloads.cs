using System.Net;
using Conductor.Compiler.ClusterAccess;
using Conductor.Components;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Compiler.Components.Discovery;

/// <summary>
/// Lists Deployments and DaemonSets, in one namespace or all of them: the only calls <c>--discover</c> makes, all reads.
/// </summary>
internal static class ClusterWorkloads
{
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    public sealed record Listing(string Server, IReadOnlyList<ObservedWorkload> Workloads);

    public static async Task<Listing> ListAsync(KubeconfigLocation location, string? @namespace, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!File.Exists(location.Path))
        {
            throw new ClusterAccessException(
                $"kubeconfig '{location.Path}' (from {location.Source}) does not exist; pass --kubeconfig or set ${KubeconfigLocation.EnvironmentVariable}");
        }
        KubernetesClientConfiguration configuration;
        try
        {
            configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(location.Path);
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or IOException or InvalidOperationException or FormatException
                                       or YamlDotNet.Core.YamlException or ArgumentException or NullReferenceException)
        {
            throw new ClusterAccessException($"kubeconfig '{location.Path}' (from {location.Source}) cannot be used: {ex.Message}", ex);
        }

        using var client = new Kubernetes(configuration);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var where = @namespace is null ? "in all namespaces" : $"in namespace {@namespace}";
        try
        {
            var deployments = @namespace is null
                ? await client.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: deadline.Token)
                : await client.AppsV1.ListNamespacedDeploymentAsync(@namespace, cancellationToken: deadline.Token);
            var daemonSets = @namespace is null
                ? await client.AppsV1.ListDaemonSetForAllNamespacesAsync(cancellationToken: deadline.Token)
                : await client.AppsV1.ListNamespacedDaemonSetAsync(@namespace, cancellationToken: deadline.Token);
            return new Listing(configuration.Host,
            [
                .. deployments.Items.Select(d => Observed(WorkloadKind.Deployment, d.Metadata, d.Spec?.Template?.Metadata)),
                .. daemonSets.Items.Select(d => Observed(WorkloadKind.DaemonSet, d.Metadata, d.Spec?.Template?.Metadata)),
            ]);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new ClusterAccessException(
                $"the Kubernetes API at {configuration.Host} refused to list Deployments and DaemonSets {where} " +
                $"({(int)ex.Response.StatusCode}) for the user of kubeconfig '{location.Path}'; use a kubeconfig that may list them", ex);
        }
        catch (HttpOperationException ex)
        {
            throw new ClusterAccessException(
                $"listing Deployments and DaemonSets {where} on {configuration.Host} failed with HTTP {(int)ex.Response.StatusCode}: {ex.Response.Content}", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ClusterAccessException(
                $"cannot reach the Kubernetes API at {configuration.Host} (kubeconfig '{location.Path}' from {location.Source}) " +
                $"within {timeout.TotalSeconds:0} s: {Innermost(ex).Message}. Check that the cluster is up and the kubeconfig points at it", ex);
        }
    }

    private static ObservedWorkload Observed(WorkloadKind kind, V1ObjectMeta metadata, V1ObjectMeta? template) =>
        new(kind, metadata.NamespaceProperty, metadata.Name,
            metadata.Labels?.AsReadOnly() ?? Empty, template?.Labels?.AsReadOnly() ?? Empty);

    private static Exception Innermost(Exception ex) => ex.InnerException is { } inner ? Innermost(inner) : ex;
}
