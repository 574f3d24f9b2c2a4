using System.Globalization;
using System.Text.RegularExpressions;
using Conductor.Integration.Tests.Federation;
using Conductor.Integration.Tests.Observability;
using Conductor.Signing;
using Conductor.Silo.Custody;
using Conductor.Silo.Federation.AuditWal;
using Conductor.Silo.Kubernetes;
using Conductor.Silo.Leadership;
using Conductor.Silo.Permissions;
using Conductor.Silo.Startup;
using Conductor.Silo.Sweep;
using Conductor.Silo.Tenant.Federation;
using Conductor.Silo.Webhook;
using Conductor.TestSupport.Certificates;
using Conductor.TestSupport.Identity;
using Conductor.TestSupport.Kubernetes;
using Conductor.TestSupport.Network;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Conductor.Integration.Tests.LeastPrivilege;

/// <summary>
/// The real <c>conductor</c> program in the tenant role, authenticated to the tenant apiserver as a service account
/// that has only what RBAC grants it: every capability of the role on (lease, capability declaration, sweep, custody,
/// PermissionService, revocation marks, drift loops), dialling the given management agent. Its log is the process's
/// JSON console output.
/// </summary>
internal sealed partial class ServiceAccountTenant : IAsyncDisposable
{
    private readonly FederationPki _pki;
    private readonly StartedAgent _agent;
    private readonly int _permissionPort;

    private ServiceAccountTenant(FederationPki pki, StartedAgent agent, int permissionPort) =>
        (_pki, _agent, _permissionPort) = (pki, agent, permissionPort);

    /// <summary>Label on the swept namespace and cluster-scoped RBAC: the sweep of this agent touches only what carries it.</summary>
    public const string SweepLabel = "conductor.ontai.dev/least-privilege";

    public string Output => _agent.Program.Stdout + _agent.Program.Stderr;

    /// <summary>Every log line that reports an authorization refusal (HTTP 403 Forbidden from the apiserver).</summary>
    public IReadOnlyList<string> ForbiddenLines => [.. Output.Split('\n').Where(line => Forbidden().IsMatch(line))];

    /// <summary>Starts the agent as <paramref name="identity"/> in <paramref name="namespace"/> and waits for <c>/readyz</c>.</summary>
    public static async Task<ServiceAccountTenant> StartAsync(FederationFixture fixture, ManagementAgent management, ServiceAccountCredentials identity,
        string clusterId, string sweepValue, Ed25519PrivateKey trusted, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(fixture.Directory, "least-privilege-" + clusterId);
        var files = fixture.Pki.WriteTo(directory, clusterId);
        var keys = Path.Combine(directory, "keys");
        Directory.CreateDirectory(keys);
        File.WriteAllText(Path.Combine(keys, trusted.KeyId.Replace(':', '-') + ".pem"), trusted.PublicKey.ExportPem());
        var permissionPort = FreePort.Next();
        var environment = new Dictionary<string, string?>
        {
            [KubernetesAccess.KubeconfigEnvVar] = identity.KubeconfigPath,
            [AgentOptions.PodNamespaceEnvVar] = identity.Namespace,
            [AgentOptions.ClusterRefEnvVar] = clusterId,
            [LeadershipOptions.PodNameEnvVar] = clusterId + "-agent-0",
            [SweepOptions.IntervalEnvVar] = "1s",
            [SweepOptions.NamespaceSelectorEnvVar] = $"{SweepLabel}={sweepValue}",
            [SweepOptions.ClusterScopedSelectorEnvVar] = $"{SweepLabel}={sweepValue}",
            [FederationClientOptions.EndpointVariable] = management.Endpoint,
            [FederationClientOptions.ClientCertificatePathVariable] = files.ClientCertificatePath,
            [FederationClientOptions.ClientKeyPathVariable] = files.ClientKeyPath,
            [FederationClientOptions.CaCertificatePathVariable] = management.CaCertificatePath,
            [FederationClientOptions.HeartBeatSecondsVariable] = "1",
            [AuditWalOptions.PathVariable] = Path.Combine(directory, "wal"),
            [CustodyOptions.PublicKeysDirEnvVar] = keys,
            [PermissionServiceOptions.PortEnvVar] = permissionPort.ToString(CultureInfo.InvariantCulture),
            [PermissionServiceOptions.CertificatePathEnvVar] = files.ServerCertificatePath,
            [PermissionServiceOptions.KeyPathEnvVar] = files.ServerKeyPath,
            [WebhookOptions.PortEnvVar] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            // The drift loops read this cluster as the service account and write DriftSignals on management.
            [ManagementCluster.KubeconfigEnvVar] = Environment.GetEnvironmentVariable(KubeFixture.KubeconfigVariable),
        };
        var agent = await StartedAgent.StartAsync("tenant", cancellationToken, environment);
        return new ServiceAccountTenant(fixture.Pki, agent, permissionPort);
    }

    /// <summary>grpc.health.v1 of the PermissionService, over TLS trusting the fixture's CA.</summary>
    public async Task<HealthCheckResponse.Types.ServingStatus> PermissionServiceHealthAsync()
    {
        using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{_permissionPort}", new GrpcChannelOptions { HttpHandler = _pki.TrustingHandler() });
        var response = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest { Service = PermissionServiceExtensions.HealthServiceName });
        return response.Status;
    }

    /// <summary>
    /// <see cref="Eventually.MatchAsync"/>, and when it times out, the agent's refusals and the end of its log in the
    /// failure, so a missing outcome explains itself.
    /// </summary>
    public async Task<T> ExpectAsync<T>(Func<Task<T>> read, Func<T, bool> match, string what)
    {
        try
        {
            return await Eventually.MatchAsync(read, match, what);
        }
        catch (TimeoutException e)
        {
            var tail = Output.Split('\n').TakeLast(60);
            throw new TimeoutException($"{e.Message}\n--- refusals\n{string.Join('\n', ForbiddenLines)}\n--- agent log (end)\n{string.Join('\n', tail)}", e);
        }
    }

    /// <summary>SIGTERM, as on pod deletion: the shutdown path (releasing the Lease) runs as the service account too.</summary>
    public Task<int> StopAsync() => _agent.Program.StopAsync(TimeSpan.FromSeconds(30));

    public override string ToString() => _agent.Program.ToString();

    public ValueTask DisposeAsync() => _agent.DisposeAsync();

    // The apiserver's refusal always reads Forbidden (the client's status text and the Status reason); a bare 403 is
    // matched only as a status code, since resourceVersions and ports may contain the digits.
    [GeneratedRegex(@"forbidden|\(403\)|code\W{0,12}403\b", RegexOptions.IgnoreCase)]
    private static partial Regex Forbidden();
}
