using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Conductor.TestSupport.Network;
using Org.BouncyCastle.Crypto.Generators;

namespace Conductor.TestSupport.Registry;

/// <summary>
/// A real Debian <c>docker-registry</c> (distribution 2.8) on 127.0.0.1, with filesystem storage in a temp directory
/// and deletes enabled. Variants: anonymous, htpasswd basic auth, token auth against a
/// <see cref="RegistryTokenServer"/>, and read-only. Disposing stops it and removes its directory.
/// </summary>
public sealed class DockerRegistryProcess : IAsyncDisposable
{
    /// <summary>Where Debian installs the registry.</summary>
    public const string BinaryPath = "/usr/bin/docker-registry";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DockerRegistryProcess(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
    }

    /// <summary>The listening port.</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:port</c>, the registry part of image references.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>The temp directory holding the config and the storage root.</summary>
    public string Directory { get; }

    /// <summary>What the registry printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts an anonymous registry.</summary>
    public static Task<DockerRegistryProcess> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(RegistryAuth.None, readOnly: false, cancellationToken);

    /// <summary>Starts a registry with <paramref name="auth"/>; <paramref name="readOnly"/> refuses every write.</summary>
    public static async Task<DockerRegistryProcess> StartAsync(RegistryAuth auth, bool readOnly = false,
        CancellationToken cancellationToken = default)
    {
        if (!File.Exists(BinaryPath))
        {
            throw new InvalidOperationException(
                $"{BinaryPath} is missing: install it with 'apt-get install -y docker-registry' (CI's .ci/run does)");
        }

        var directory = System.IO.Directory.CreateTempSubdirectory("conductor-registry-").FullName;
        var port = FreePort.Next();
        var configPath = Path.Combine(directory, "config.yml");
        await File.WriteAllTextAsync(configPath, Config(directory, port, auth, readOnly), cancellationToken);

        var process = new Process
        {
            StartInfo = new ProcessStartInfo(BinaryPath)
            {
                ArgumentList = { "serve", configPath },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        var registry = new DockerRegistryProcess(process, port, directory);
        process.OutputDataReceived += (_, e) => registry.Append(e.Data);
        process.ErrorDataReceived += (_, e) => registry.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await registry.WaitReadyAsync(cancellationToken);
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }

        return registry;
    }

    /// <summary>An htpasswd line with a bcrypt hash, the only hash docker-registry's htpasswd accepts.</summary>
    public static string HtpasswdLine(string username, string password)
    {
        // Cost 4 is bcrypt's minimum: the hash only has to be valid, not slow.
        var hash = OpenBsdBCrypt.Generate("2y", password.ToCharArray(), RandomNumberGenerator.GetBytes(16), 4);
        return $"{username}:{hash}";
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Config(string directory, int port, RegistryAuth auth, bool readOnly)
    {
        var storage = Path.Combine(directory, "storage");
        var yaml = new StringBuilder($"""
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {storage}
              delete:
                enabled: true
              maintenance:
                uploadpurging:
                  enabled: false
                readonly:
                  enabled: {(readOnly ? "true" : "false")}
            http:
              addr: 127.0.0.1:{port}
              secret: {Convert.ToHexString(RandomNumberGenerator.GetBytes(16))}

            """);
        switch (auth)
        {
            case RegistryAuth.Htpasswd basic:
                var file = Path.Combine(directory, "htpasswd");
                File.WriteAllText(file, HtpasswdLine(basic.Username, basic.Password) + "\n");
                yaml.Append($"""
                    auth:
                      htpasswd:
                        realm: conductor-test
                        path: {file}

                    """);
                break;
            case RegistryAuth.Token token:
                yaml.Append($"""
                    auth:
                      token:
                        realm: {token.Realm}
                        service: {RegistryTokenServer.Service}
                        issuer: {RegistryTokenServer.Issuer}
                        rootcertbundle: {token.RootCertBundlePath}

                    """);
                break;
        }

        return yaml.ToString();
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var deadline = DateTimeOffset.UtcNow + StartTimeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"docker-registry exited with {_process.ExitCode} before answering on {Address}: {Output}");
            }

            try
            {
                // 200 when anonymous, 401 with auth: either way the registry is serving /v2/.
                using var response = await http.GetAsync(new Uri($"http://{Address}/v2/"), cancellationToken);
                if ((int)response.StatusCode is 200 or 401)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await timer.WaitForNextTickAsync(cancellationToken);
        }

        throw new TimeoutException($"docker-registry did not answer GET /v2/ on {Address} within {StartTimeout}: {Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
