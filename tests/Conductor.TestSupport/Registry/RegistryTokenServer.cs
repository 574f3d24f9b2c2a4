using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Conductor.TestSupport.Registry;

/// <summary>
/// A Docker token service on loopback for docker-registry's <c>auth.token</c> mode. It checks Basic credentials,
/// grants the requested repository actions that <see cref="Grant"/> allows, and signs an ES256 JWT whose
/// <c>x5c</c> header carries a self-signed certificate; <see cref="RootCertBundlePath"/> holds that certificate for
/// the registry's <c>rootcertbundle</c>, so the registry really verifies our signature.
/// </summary>
public sealed class RegistryTokenServer : IAsyncDisposable
{
    /// <summary>The <c>service</c> the registry announces and the token's audience.</summary>
    public const string Service = "conductor-test-registry";

    /// <summary>The token issuer the registry trusts.</summary>
    public const string Issuer = "conductor-test-token-issuer";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _certificate;
    private readonly LoopbackHttpServer _server;
    private readonly string _username;
    private readonly string _password;
    private int _tokensIssued;

    private RegistryTokenServer(string directory, string username, string password)
    {
        _username = username;
        _password = password;
        var request = new CertificateRequest("CN=conductor-test-token-signer", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        var now = DateTimeOffset.UtcNow;
        _certificate = request.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));
        RootCertBundlePath = Path.Combine(directory, "token-signer.pem");
        File.WriteAllText(RootCertBundlePath, _certificate.ExportCertificatePem());
        _server = LoopbackHttpServer.Start(HandleAsync);
    }

    /// <summary>The PEM file the registry's <c>auth.token.rootcertbundle</c> points at.</summary>
    public string RootCertBundlePath { get; }

    /// <summary>The token endpoint (the challenge's realm).</summary>
    public string Realm => $"http://{_server.Address}/token";

    /// <summary>How many tokens were issued.</summary>
    public int TokensIssued => Volatile.Read(ref _tokensIssued);

    /// <summary>Which actions to grant for (repository, requested actions); defaults to all requested.</summary>
    public Func<string, IReadOnlyList<string>, IReadOnlyList<string>> Grant { get; set; } = (_, actions) => actions;

    /// <summary>Starts the service with one user, writing the certificate bundle into <paramref name="directory"/>.</summary>
    public static RegistryTokenServer Start(string directory, string username, string password) =>
        new(directory, username, password);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificate.Dispose();
        _key.Dispose();
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        if (!Authorized(context.Request.Headers["Authorization"]))
        {
            context.Response.StatusCode = 401;
            context.Response.Close();
            return;
        }

        var query = context.Request.QueryString;
        var access = (query.GetValues("scope") ?? [])
            .SelectMany(scope => scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(ParseScope)
            .Where(entry => entry is not null)
            .Select(entry => new
            {
                type = "repository",
                name = entry!.Value.Repository,
                actions = Grant(entry.Value.Repository, entry.Value.Actions),
            })
            .ToList();
        var token = Sign(access);
        Interlocked.Increment(ref _tokensIssued);
        var body = JsonSerializer.SerializeToUtf8Bytes(new { token, access_token = token, expires_in = 300 });
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.OutputStream.WriteAsync(body);
        context.Response.Close();
    }

    private bool Authorized(string? header)
    {
        if (header is null || !header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return false;
        }

        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
        return decoded == $"{_username}:{_password}";
    }

    private static (string Repository, IReadOnlyList<string> Actions)? ParseScope(string scope)
    {
        // repository:<name>:<actions>; the name may not contain ':' in our tests (no ports in repository names).
        var parts = scope.Split(':');
        return parts is ["repository", var name, var actions]
            ? (name, actions.Split(',', StringSplitOptions.RemoveEmptyEntries))
            : null;
    }

    private string Sign(object access)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new { typ = "JWT", alg = "ES256", x5c = new[] { Convert.ToBase64String(_certificate.RawData) } };
        var claims = new
        {
            iss = Issuer,
            sub = _username,
            aud = Service,
            exp = now + 300,
            nbf = now - 10,
            iat = now,
            jti = Guid.NewGuid().ToString("N"),
            access,
        };
        var signingInput = $"{Base64Url(JsonSerializer.SerializeToUtf8Bytes(header))}." +
                           Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        // JWS ES256 wants the raw r||s signature, which is .NET's default (IEEE P1363) format.
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
