using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Conductor.Custody;
using Conductor.Federation;
using Conductor.Resources.Seam;
using Conductor.Silo.Federation.AuditWal;
using Conductor.Silo.Federation.Gateway;
using Conductor.Silo.Leadership;
using Grpc.Core;
using Grpc.Net.Client;
using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Tenant.Federation;

/// <summary>
/// The tenant's end of the federation channel: dials <c>MGMT_ENDPOINT</c> with the client certificate (re-read at
/// every attempt), runs one <see cref="FederationSession"/> per stream and reconnects with exponential backoff and
/// jitter, or at once after a clean close (management draining). <see cref="ValidateRunnerConfigAsync"/> fails closed
/// while no stream is live. Every replica dials, naming itself (<see cref="FederationClientOptions.Replica"/>), because
/// every replica's admission webhook appends to its own WAL and only its own stream ships it. Where the agent runs a
/// Lease election, the leader's stream is the control stream (revocations, onboarding snapshots, the session's
/// heartbeats: the writes they cause on this cluster are the leader's) and a follower's is audit-only; a replica
/// redials in its new role the moment it wins or loses the Lease.
/// </summary>
public sealed partial class FederationClient(
    IOptions<FederationClientOptions> options, AuditWal wal, RevokedArtifacts revoked, FederationChannelState state,
    TimeProvider time, ILoggerFactory loggers, ILeadership? leadership = null, IPermissionSnapshotInbox? inbox = null) : BackgroundService
{
    /// <summary>Rule of the finding returned when validation fails closed for want of a live channel.</summary>
    public const string ChannelDownRule = "FederationChannelDown";

    private readonly ILogger _logger = loggers.CreateLogger<FederationClient>();
    private readonly FederationClientOptions _options = options.Value;

    private readonly string _replica = options.Value.Replica is { Length: > 0 } replica ? replica : leadership?.Identity ?? "";

    /// <summary>The cluster id this agent's client certificate proves.</summary>
    public string ClusterId { get; } = ReadClusterId(options.Value.ClientCertificatePath);

    /// <summary>Asks management to validate <paramref name="runnerConfig"/>; refused without a live channel.</summary>
    public async Task<ValidationVerdict> ValidateRunnerConfigAsync(RunnerConfig runnerConfig, CancellationToken cancellationToken = default)
    {
        var request = new ValidationRequest(Guid.NewGuid().ToString("N"), runnerConfig.Metadata.NamespaceProperty ?? "",
            runnerConfig.Metadata.Name ?? "", KubernetesJson.Serialize(runnerConfig.Spec));
        if (state.Live is not { } session)
        {
            LogFailedClosed(_logger, ClusterId, request.Namespace, request.Name);
            return FailClosed(request.RequestId, ChannelDownRule,
                "No live federation channel to management; RunnerConfig validation fails closed until it is restored");
        }

        return await session.ValidateAsync(request, cancellationToken);
    }

    internal static ValidationVerdict FailClosed(string requestId, string rule, string message) =>
        new(requestId, false, [new ValidationFinding("", rule, message)]);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await revoked.LoadAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped before the first dial: a normal end, not a failure the host should report.
            return;
        }
        var backoff = new ReconnectBackoff(_options.ReconnectInitialDelay, _options.ReconnectMaxDelay, Random.Shared);
        while (!stoppingToken.IsCancellationRequested)
        {
            FederationSession? session = null;
            var (control, roleChanged) = Role(stoppingToken);
            try
            {
                using var streaming = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, roleChanged.Token);
                LogConnecting(_logger, ClusterId, _options.Endpoint, _replica, control);
                using var channel = OpenChannel();
                using var call = TenantConnectMethod.Open(channel.CreateCallInvoker(), FederationStreamHeaders.For(_replica, control), streaming.Token);
                session = new FederationSession(call, ClusterId, wal, revoked, state, _options, time, _logger, control ? inbox : null);
                if (await session.RunAsync(streaming.Token))
                {
                    // A clean close after a live stream is a management replica draining on shutdown: dial again at
                    // once, and reach another replica. A replica that is still draining refuses, which backs off.
                    backoff.Reset();
                    LogClosedCleanly(_logger, ClusterId);
                    continue;
                }

                LogStreamEnded(_logger, ClusterId, "management closed the stream before it was heard");
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (roleChanged.IsCancellationRequested && e is OperationCanceledException or RpcException or IOException)
            {
                // Won or lost the Lease: redial at once in the new role. The WAL replays from the last ack, so the
                // hand-over loses nothing and the sink's dedupe stores nothing twice.
                state.SetLost(null);
                backoff.Reset();
                continue;
            }
            catch (RpcException e) when (session is { Heard: true } && IsGracefulConnectionClose(e))
            {
                // The draining replica's connection closed with HTTP/2 NO_ERROR before its trailers were read: the
                // same clean close as above, so dial again at once.
                state.SetLost(null);
                backoff.Reset();
                LogClosedCleanly(_logger, ClusterId);
                continue;
            }
            catch (Exception e) when (e is RpcException or IOException or HttpRequestException or AuthenticationException
                or InvalidOperationException or OperationCanceledException or System.Security.Cryptography.CryptographicException)
            {
                state.SetLost(null);
                LogStreamEnded(_logger, ClusterId, e.Message);
            }
            finally
            {
                roleChanged.Dispose();
            }

            var delay = backoff.NextAfter(wasLive: session is { Heard: true });
            LogBackingOff(_logger, ClusterId, delay.TotalMilliseconds);
            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>
    /// Whether this replica's stream is the control stream now, and a source cancelled when that stops being true
    /// (the term ends, or a follower wins the Lease).
    /// </summary>
    private (bool Control, CancellationTokenSource RoleChanged) Role(CancellationToken stoppingToken)
    {
        if (leadership is null)
        {
            return (true, new CancellationTokenSource());
        }

        if (leadership.IsLeader && leadership.LeaderToken is { IsCancellationRequested: false } term)
        {
            return (true, CancellationTokenSource.CreateLinkedTokenSource(term));
        }

        var roleChanged = new CancellationTokenSource();
        _ = WatchForLeadershipAsync(roleChanged, stoppingToken);
        return (false, roleChanged);
    }

    private async Task WatchForLeadershipAsync(CancellationTokenSource roleChanged, CancellationToken stoppingToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, roleChanged.Token);
        try
        {
            await leadership!.WaitForLeadershipAsync(stop.Token);
            await roleChanged.CancelAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The stream ended first, or the agent is stopping.
        }
    }

    private GrpcChannel OpenChannel()
    {
        // Read at every attempt, so a rotated certificate or CA is used without a restart.
        var certificate = X509Certificate2.CreateFromPemFile(_options.ClientCertificatePath, _options.ClientKeyPath);
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(_options.CaCertificatePath);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls13,
                ClientCertificates = [certificate],
                RemoteCertificateValidationCallback = (_, server, _, errors) => IsManagement(server, errors, authorities),
            },
            // Notice a vanished peer within two ping intervals even when nothing is being sent.
            KeepAlivePingDelay = _options.KeepAlivePing,
            KeepAlivePingTimeout = _options.KeepAlivePing,
            EnableMultipleHttp2Connections = false,
        };
        return GrpcChannel.ForAddress(_options.Endpoint, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    private static bool IsGracefulConnectionClose(RpcException e) =>
        e.Status.DebugException is HttpProtocolException { ErrorCode: 0 } || e.InnerException is HttpProtocolException { ErrorCode: 0 };

    private static bool IsManagement(X509Certificate? server, SslPolicyErrors errors, X509Certificate2Collection authorities)
    {
        if (server is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(server.GetRawCertData());
        return chain.Build(leaf);
    }

    private static string ReadClusterId(string certificatePath)
    {
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(certificatePath);
        return FederationPeerIdentity.ClusterIdOf(certificate, out var refusal)
            ?? throw new InvalidOperationException($"{FederationClientOptions.ClientCertificatePathVariable} {certificatePath}: {refusal}");
    }

    [LoggerMessage(EventId = 3320, Level = LogLevel.Information,
        Message = "Cluster {ClusterId} dialling management at {Endpoint} as replica '{Replica}' (control stream: {Control})")]
    private static partial void LogConnecting(ILogger logger, string clusterId, string endpoint, string replica, bool control);

    [LoggerMessage(EventId = 3321, Level = LogLevel.Warning, Message = "Federation stream of cluster {ClusterId} ended: {Reason}")]
    private static partial void LogStreamEnded(ILogger logger, string clusterId, string reason);

    [LoggerMessage(EventId = 3324, Level = LogLevel.Information,
        Message = "Management closed the federation stream of cluster {ClusterId} cleanly (a replica shutting down); reconnecting at once")]
    private static partial void LogClosedCleanly(ILogger logger, string clusterId);

    [LoggerMessage(EventId = 3322, Level = LogLevel.Debug, Message = "Cluster {ClusterId} reconnects in {DelayMs} ms")]
    private static partial void LogBackingOff(ILogger logger, string clusterId, double delayMs);

    [LoggerMessage(EventId = 3323, Level = LogLevel.Warning,
        Message = "Refusing RunnerConfig {Namespace}/{Name} of cluster {ClusterId}: no live federation channel, validation fails closed")]
    private static partial void LogFailedClosed(ILogger logger, string clusterId, string @namespace, string name);
}
