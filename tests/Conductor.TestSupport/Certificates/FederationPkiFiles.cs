namespace Conductor.TestSupport.Certificates;

/// <summary>Where <see cref="FederationPki.WriteTo"/> put the PEM files.</summary>
public sealed record FederationPkiFiles(
    string CaCertificatePath,
    string ServerCertificatePath,
    string ServerKeyPath,
    string ClientCertificatePath,
    string ClientKeyPath);
