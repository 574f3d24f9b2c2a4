using System.Text;
using System.Text.Json.Nodes;
using Conductor.Compiler.Talos.Pki;
using Conductor.Compiler.Talos.Secrets;
using Conductor.Compiler.Yaml;
using Conductor.Randomness;

namespace Conductor.Compiler.Talos.Talosconfig;

/// <summary>
/// The talosconfig (Talos client configuration) for the cluster's admin: one context named after the cluster, the
/// control-plane node IPs as endpoints, the OS CA, and an <c>os:admin</c> client certificate.
/// </summary>
/// <remarks>
/// Talos issues an Ed25519 admin certificate, which .NET cannot present in TLS (dependencies.md §0 item 3). We issue
/// an ECDSA P-256 certificate under the same Ed25519 OS CA instead; Talos' apid accepts it and so does a .NET client.
/// </remarks>
internal static class TalosconfigBuilder
{
    public const string AdminOrganization = "os:admin";
    public const string AdminCommonName = "admin";
    public static readonly TimeSpan AdminValidity = TimeSpan.FromDays(365);

    public static string Build(
        string clusterName, IReadOnlyList<string> endpoints, SecretsBundle secrets, TimeProvider time, IRandomSource random)
    {
        var (certificate, key) = CertificateIssuer.IssueClient(
            secrets.OsCa, KeyAlgorithm.EcdsaP256,
            new CertificateSubject(AdminCommonName, AdminOrganization, time.GetUtcNow(), AdminValidity), random);
        var context = new JsonObject
        {
            ["endpoints"] = new JsonArray([.. endpoints.Select(e => JsonValue.Create(e))]),
            ["ca"] = Base64(secrets.OsCa.CertificatePem),
            ["crt"] = Base64(PemText.OfCertificate(certificate)),
            ["key"] = Base64(PemText.OfPrivateKey(key)),
        };
        return YamlEmitter.Emit(new JsonObject
        {
            ["context"] = clusterName,
            ["contexts"] = new JsonObject { [clusterName] = context },
        });
    }

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
}
