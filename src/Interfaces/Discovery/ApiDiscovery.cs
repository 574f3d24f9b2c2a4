using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Discovery;

/// <summary>
/// What the API server serves, asked through discovery (<c>/api/v1</c>, <c>/apis/{group}/{version}</c>) rather than
/// guessed: the resource (plural) and scope of a kind. Results are cached per group version; a group version that
/// is not served is not cached, so a CRD installed later is found.
/// </summary>
public sealed class ApiDiscovery(IKubernetes client)
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<V1APIResource>> _served = new(StringComparer.Ordinal);

    /// <summary>The top-level resources of <paramref name="apiVersion"/>, or null when it is not served.</summary>
    public async Task<IReadOnlyList<V1APIResource>?> ResourcesAsync(string apiVersion, CancellationToken cancellationToken)
    {
        if (_served.TryGetValue(apiVersion, out var cached))
        {
            return cached;
        }
        V1APIResourceList list;
        try
        {
            if (apiVersion == "v1")
            {
                list = await client.CoreV1.GetAPIResourcesAsync(cancellationToken);
            }
            else
            {
                var slash = apiVersion.LastIndexOf('/');
                if (slash <= 0)
                {
                    throw new ArgumentException($"apiVersion '{apiVersion}' is neither v1 nor group/version.", nameof(apiVersion));
                }
                // An empty plural asks for /apis/{group}/{version}/: the discovery document of that group version.
                list = await client.CustomObjects.ListClusterCustomObjectAsync<V1APIResourceList>(
                    apiVersion[..slash], apiVersion[(slash + 1)..], "", cancellationToken: cancellationToken);
            }
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        IReadOnlyList<V1APIResource> resources = [.. (list.Resources ?? []).Where(r => !r.Name.Contains('/', StringComparison.Ordinal))];
        _served[apiVersion] = resources;
        return resources;
    }

    /// <summary>The resource serving <paramref name="kind"/> in <paramref name="apiVersion"/>, or null when none does.</summary>
    public async Task<ServedResource?> ResolveAsync(string apiVersion, string kind, CancellationToken cancellationToken)
    {
        var resources = await ResourcesAsync(apiVersion, cancellationToken);
        var match = resources?.FirstOrDefault(r => string.Equals(r.Kind, kind, StringComparison.Ordinal));
        if (match is null)
        {
            return null;
        }
        var slash = apiVersion.LastIndexOf('/');
        return new ServedResource(slash < 0 ? "" : apiVersion[..slash], slash < 0 ? apiVersion : apiVersion[(slash + 1)..], match.Name, match.Namespaced, kind);
    }
}

/// <summary>A served resource: group ("" for core), version, plural, and whether it is namespaced.</summary>
public sealed record ServedResource(string Group, string Version, string Plural, bool Namespaced, string Kind);
