namespace Conductor.Compiler.Bootstrap;

/// <summary>The Kubernetes API endpoint of the cluster: an absolute <c>https://host[:port]</c> URL.</summary>
internal static class ControlPlaneEndpoint
{
    public static Uri? TryParse(string text, out string error)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            error = $"'{text}' is not a URL; write it as https://10.20.0.10:6443";
            return null;
        }
        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            error = $"'{text}' must use https (the Kubernetes API serves TLS only), for example https://10.20.0.10:6443";
            return null;
        }
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            error = $"'{text}' must be just https://host:port, without a path, query or user";
            return null;
        }
        error = "";
        return uri;
    }

    /// <summary><c>host:port</c> without the scheme, as the TalosCluster's <c>clusterEndpoint</c> carries it.</summary>
    public static string WithoutScheme(Uri endpoint) => endpoint.IsDefaultPort ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port}";
}
