using System.Security.Cryptography.X509Certificates;
using Conductor.Naming;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// The tenant cluster id a client certificate proves: its one DNS subject alternative name. Unlike the reference
/// there is no fallback to the Common Name; a certificate that does not name exactly one cluster is refused.
/// </summary>
public static class FederationPeerIdentity
{
    private const string SubjectAlternativeNameOid = "2.5.29.17";

    /// <summary>Returns the cluster id, or null with <paramref name="refusal"/> saying why there is none.</summary>
    public static string? ClusterIdOf(X509Certificate2 certificate, out string refusal)
    {
        refusal = "";
        var extension = certificate.Extensions.Cast<X509Extension>()
            .FirstOrDefault(e => e.Oid?.Value == SubjectAlternativeNameOid);
        var names = extension is null
            ? []
            : new X509SubjectAlternativeNameExtension(extension.RawData, extension.Critical).EnumerateDnsNames().ToList();
        if (names.Count != 1)
        {
            refusal = $"certificate {certificate.Subject} has {names.Count} DNS subject alternative names; a tenant " +
                "certificate must name its cluster id as exactly one DNS SAN";
            return null;
        }

        if (!DnsLabel.IsValid(names[0]))
        {
            refusal = $"certificate {certificate.Subject} names cluster '{names[0]}', which is not a DNS-1123 label " +
                "(lowercase letters, digits and '-', at most 63 characters)";
            return null;
        }

        return names[0];
    }
}
