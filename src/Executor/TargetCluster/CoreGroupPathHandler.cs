namespace Conductor.Executor.TargetCluster;

/// <summary>
/// Lets the client's CustomObjects operations reach core-group ("" group) resources too. They always build
/// <c>/apis/{group}/{version}/…</c>, which for the core group is <c>/apis//v1/…</c>; the API server serves the core
/// group at <c>/api/v1/…</c>. Rewriting that one prefix gives one generic path for every kind that discovery resolves,
/// instead of a typed call per core kind.
/// </summary>
public sealed class CoreGroupPathHandler : DelegatingHandler
{
    private const string CoreAsCustom = "/apis//";
    private const string Core = "/api/";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri && uri.AbsolutePath.Contains(CoreAsCustom, StringComparison.Ordinal))
        {
            var builder = new UriBuilder(uri) { Path = uri.AbsolutePath.Replace(CoreAsCustom, Core, StringComparison.Ordinal) };
            request.RequestUri = builder.Uri;
        }
        return base.SendAsync(request, cancellationToken);
    }
}
