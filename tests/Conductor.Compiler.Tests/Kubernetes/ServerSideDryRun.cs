using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;

namespace Conductor.Compiler.Tests.Kubernetes;

/// <summary>
/// Server-side applies one YAML document with <c>dryRun=All</c>: the API server runs defaulting, schema validation and
/// admission on it and stores nothing. Kinds the server does not serve are reported as such, not applied.
/// </summary>
internal sealed partial class ServerSideDryRun : IDisposable
{
    private readonly HttpClient _http;
    private readonly Dictionary<string, JsonArray?> _discovery = new(StringComparer.Ordinal);

    /// <summary>A raw HTTP client with the kubeconfig's client certificate, trusting only its CA (apply-patch needs raw bodies).</summary>
    public ServerSideDryRun(string kubeconfigPath)
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath);
        var handler = new HttpClientHandler();
        handler.ClientCertificates.Add(X509Certificate2.CreateFromPem(
            Encoding.UTF8.GetString(Convert.FromBase64String(config.ClientCertificateData!)),
            Encoding.UTF8.GetString(Convert.FromBase64String(config.ClientCertificateKeyData!))));
        handler.ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.CustomTrustStore.AddRange(config.SslCaCerts);
            return certificate is not null && chain.Build(certificate);
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri(config.Host.TrimEnd('/') + "/") };
    }

    public sealed record Result(bool Served, HttpStatusCode Status, string Body);

    /// <summary>
    /// Applies <paramref name="yaml"/>. A namespaced object is moved to <paramref name="testNamespace"/> first: the
    /// server's NamespaceLifecycle admission refuses objects in namespaces that do not exist, and the Seam namespaces
    /// must not be created for real on a shared test server.
    /// </summary>
    public async Task<Result> ApplyAsync(string apiVersion, string kind, string name, string yaml, string testNamespace, CancellationToken cancellationToken)
    {
        var resources = await DiscoverAsync(apiVersion, cancellationToken);
        var resource = resources?.OfType<JsonObject>().FirstOrDefault(r =>
            (string?)r["kind"] == kind && !((string?)r["name"])!.Contains('/'));
        if (resource is null)
        {
            return new Result(false, HttpStatusCode.NotFound, $"{apiVersion} {kind} is not served");
        }
        var plural = (string)resource["name"]!;
        var namespaced = (bool)resource["namespaced"]!;
        var prefix = apiVersion == "v1" ? "api/v1" : $"apis/{apiVersion}";
        var path = namespaced ? $"{prefix}/namespaces/{testNamespace}/{plural}/{name}" : $"{prefix}/{plural}/{name}";
        var body = namespaced ? MetadataNamespace().Replace(yaml, $"  namespace: {testNamespace}") : yaml;

        using var request = new HttpRequestMessage(HttpMethod.Patch, $"{path}?dryRun=All&fieldManager=compiler-enable-test&force=true")
        {
            Content = new StringContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/apply-patch+yaml");
        using var response = await _http.SendAsync(request, cancellationToken);
        return new Result(true, response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private async Task<JsonArray?> DiscoverAsync(string apiVersion, CancellationToken cancellationToken)
    {
        if (_discovery.TryGetValue(apiVersion, out var cached))
        {
            return cached;
        }
        using var response = await _http.GetAsync(apiVersion == "v1" ? "api/v1" : $"apis/{apiVersion}", cancellationToken);
        var resources = response.StatusCode == HttpStatusCode.NotFound ? null
            : JsonNode.Parse(await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync(cancellationToken))!["resources"]!.AsArray();
        _discovery[apiVersion] = resources;
        return resources;
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("(?m)^  namespace: .*$")]
    private static partial Regex MetadataNamespace();
}
