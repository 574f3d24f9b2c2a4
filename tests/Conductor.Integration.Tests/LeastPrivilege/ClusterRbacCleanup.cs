using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Integration.Tests.LeastPrivilege;

/// <summary>
/// Deletes the ClusterRoleBinding and ClusterRole a test created under one name: cluster-scoped, they outlive the
/// test namespace (which takes the namespaced objects with it).
/// </summary>
internal sealed class ClusterRbacCleanup(IKubernetes admin, string name) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await IgnoreNotFound(() => admin.RbacAuthorizationV1.DeleteClusterRoleBindingAsync(name));
        await IgnoreNotFound(() => admin.RbacAuthorizationV1.DeleteClusterRoleAsync(name));
    }

    private static async Task IgnoreNotFound(Func<Task<V1Status>> delete)
    {
        try
        {
            await delete();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone.
        }
    }
}
