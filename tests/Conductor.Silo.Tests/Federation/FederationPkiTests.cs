using System.Diagnostics;
using Conductor.TestSupport.Certificates;

namespace Conductor.Silo.Tests.Federation;

/// <summary>Checks the test PKI with a real, independent peer: the openssl command line.</summary>
public sealed class FederationPkiTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("conductor-pki-").FullName;
    private readonly FederationPki _pki = FederationPki.Create();

    [Fact]
    public async Task WriteTo_ClientCertificate_VerifiesAgainstCaForClientPurpose()
    {
        var files = _pki.WriteTo(_dir, "ccs-dev");

        var verify = await OpenSslAsync("verify", "-purpose", "sslclient", "-CAfile", files.CaCertificatePath,
            files.ClientCertificatePath);

        Assert.Equal(0, verify.ExitCode);
        Assert.Contains(": OK", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteTo_ServerCertificate_VerifiesForServerPurposeWithLoopbackNames()
    {
        var files = _pki.WriteTo(_dir, "ccs-dev");

        var verify = await OpenSslAsync("verify", "-purpose", "sslserver", "-CAfile", files.CaCertificatePath,
            files.ServerCertificatePath);
        var text = await OpenSslAsync("x509", "-in", files.ServerCertificatePath, "-noout", "-text");

        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("DNS:localhost", text.Output, StringComparison.Ordinal);
        Assert.Contains("IP Address:127.0.0.1", text.Output, StringComparison.Ordinal);
        Assert.Contains("TLS Web Server Authentication", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteTo_ClientCertificate_CarriesClusterIdSanClientAuthAndP256()
    {
        var files = _pki.WriteTo(_dir, "ccs-dev");

        var text = await OpenSslAsync("x509", "-in", files.ClientCertificatePath, "-noout", "-text");
        var key = await OpenSslAsync("pkey", "-in", files.ClientKeyPath, "-noout", "-text");

        Assert.Contains("DNS:ccs-dev", text.Output, StringComparison.Ordinal);
        Assert.Contains("TLS Web Client Authentication", text.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("TLS Web Server Authentication", text.Output, StringComparison.Ordinal);
        Assert.Contains("prime256v1", text.Output, StringComparison.Ordinal);
        Assert.Contains("CA:FALSE", text.Output, StringComparison.Ordinal);
        Assert.Equal(0, key.ExitCode);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(files.ClientKeyPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IssueExpiredClientCertificate_OpenSslVerify_ReportsExpired()
    {
        var files = _pki.WriteTo(_dir, "ccs-dev");
        using var expired = _pki.IssueExpiredClientCertificate("ccs-dev");
        var path = WriteCertificate(expired, "expired");

        var verify = await OpenSslAsync("verify", "-CAfile", files.CaCertificatePath, path);

        Assert.NotEqual(0, verify.ExitCode);
        Assert.Contains("certificate has expired", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IssueClientCertificate_FromOtherCa_OpenSslVerifyRefuses()
    {
        var files = _pki.WriteTo(_dir, "ccs-dev");
        using var otherCa = FederationPki.Create("Some Other CA");
        using var foreign = otherCa.IssueClientCertificate("ccs-dev");
        var path = WriteCertificate(foreign, "foreign");

        var verify = await OpenSslAsync("verify", "-CAfile", files.CaCertificatePath, path);

        Assert.NotEqual(0, verify.ExitCode);
        Assert.Contains("unable to get local issuer certificate", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IssueClientCertificateWithoutSan_OpenSslText_HasCnButNoSan()
    {
        var files = _pki.WriteTo(_dir, "ccs-dev");
        using var noSan = _pki.IssueClientCertificateWithoutSan("ccs-nosan");
        var path = WriteCertificate(noSan, "nosan");

        var verify = await OpenSslAsync("verify", "-CAfile", files.CaCertificatePath, path);
        var text = await OpenSslAsync("x509", "-in", path, "-noout", "-text");

        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("CN = ccs-nosan", text.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Subject Alternative Name", text.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string WriteCertificate(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, string name)
    {
        var path = Path.Combine(_dir, name + ".crt");
        FederationPki.WritePem(certificate, path, Path.Combine(_dir, name + ".key"));
        return path;
    }

    private static async Task<(int ExitCode, string Output)> OpenSslAsync(params string[] args)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("openssl is not installed: run `apt-get install -y openssl`", e);
        }

        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
    }
}
