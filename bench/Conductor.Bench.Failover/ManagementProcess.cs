using System.Diagnostics;
using System.Globalization;
using System.Net;
using Conductor.TestSupport.Certificates;
using Conductor.TestSupport.Network;

namespace Conductor.Bench.Failover;

/// <summary>
/// One real <c>conductor</c> role=management process (<c>dotnet conductor.dll</c>, or the apphost of the published
/// image form, run directly as the image's entrypoint runs it): an Orleans silo clustered through
/// the Kubernetes membership table on the real apiserver, with the mTLS federation gateway on its own port. Its
/// output goes to a log file, kept for a look when a figure is odd.
/// </summary>
public sealed class ManagementProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly int _internalPort;
    private bool _closed;

    private ManagementProcess(string name, Process process, StreamWriter log, int internalPort, int federationPort)
    {
        (Name, _process, _log, _internalPort, FederationPort) = (name, process, log, internalPort, federationPort);
    }

    public string Name { get; }

    /// <summary>The port tenants reach through the forwarder.</summary>
    public int FederationPort { get; }

    public bool HasExited => _process.HasExited;

    public static ManagementProcess Start(BenchSettings settings, BenchCluster cluster, FederationPkiFiles server, string name)
    {
        var internalPort = FreePort.Next();
        var federationPort = FreePort.Next();
        var start = BenchProgram.At(settings.Conductor).StartInfo();
        var environment = new Dictionary<string, string>
        {
            ["CONDUCTOR_ROLE"] = "management",
            ["KUBECONFIG"] = settings.ManagementKubeconfig,
            ["CLUSTER_REF"] = "mgmt",
            ["POD_NAMESPACE"] = cluster.ManagementNamespace,
            ["INTERNAL_PORT"] = Invariant(internalPort),
            ["SILO_PORT"] = Invariant(FreePort.Next()),
            ["GATEWAY_PORT"] = Invariant(FreePort.Next()),
            ["ORLEANS_CLUSTERING"] = "kubernetes",
            ["ORLEANS_MEMBERSHIP_NAMESPACE"] = cluster.ManagementNamespace,
            ["ORLEANS_CLUSTER_ID"] = cluster.OrleansClusterId,
            ["FEDERATION_PORT"] = Invariant(federationPort),
            ["FEDERATION_CA_CERT_PATH"] = server.CaCertificatePath,
            ["FEDERATION_SERVER_CERT_PATH"] = server.ServerCertificatePath,
            ["FEDERATION_SERVER_KEY_PATH"] = server.ServerKeyPath,
            ["FEDERATION_STORE_NAMESPACE"] = cluster.ManagementNamespace,
            ["Logging__LogLevel__Default"] = "Warning",
            // Membership changes and the gateway's stream life, timestamped, to explain a figure.
            ["Logging__LogLevel__Orleans.Runtime.MembershipService"] = "Information",
            ["Logging__LogLevel__Conductor.Silo.Federation"] = "Information",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
            // Three silos and the tenants share two cores: workstation GC keeps each process small.
            ["DOTNET_gcServer"] = "0",
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var log = new StreamWriter(Path.Combine(cluster.Directory, name + ".log")) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {settings.Conductor}");
        var management = new ManagementProcess(name, process, log, internalPort, federationPort);
        process.OutputDataReceived += (_, line) => management.Write(line.Data);
        process.ErrorDataReceived += (_, line) => management.Write(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return management;
    }

    /// <summary>Waits for <c>/readyz</c>: the silo joined the cluster and every watch has listed.</summary>
    public async Task WaitReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before it was ready; see {Name}.log");
            }

            if (clock.Elapsed > ReadyTimeout)
            {
                throw new TimeoutException($"{Name} was not ready within {ReadyTimeout}; see {Name}.log");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{_internalPort}/readyz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or a probe slower than its timeout on a loaded machine.
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: no drain, no membership update; the kernel closes its sockets.</summary>
    public void Kill() => _process.Kill();

    /// <summary>SIGTERM, as the kubelet stops a pod: the host drains the gateway and the silo leaves the cluster.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", Invariant(_process.Id)]);
        kill.WaitForExit();
    }

    public Task WaitForExitAsync(TimeSpan cap) => _process.WaitForExitAsync().WaitAsync(cap);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        lock (_log)
        {
            _closed = true;
            _log.Dispose();
        }
    }

    private void Write(string? line)
    {
        lock (_log)
        {
            if (line is not null && !_closed)
            {
                _log.WriteLine(line);
            }
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
