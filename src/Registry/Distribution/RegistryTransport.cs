using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Conductor.Registry.Auth;
using Conductor.Registry.Retry;
using Microsoft.Extensions.Logging;

namespace Conductor.Registry.Distribution;

/// <summary>
/// Sends <see cref="RegistryCall"/>s: picks http or https per registry, applies a per-attempt timeout, retries
/// transient failures through <see cref="RetryPolicy"/>, and answers 401 challenges once through
/// <see cref="RegistryAuthenticator"/>. Connection failures that outlast the retries become
/// <see cref="RegistryFailure.Unreachable"/>; every answered request is returned for the caller to judge.
/// </summary>
internal sealed partial class RegistryTransport
{
    private readonly HttpClient _http;
    private readonly OciRegistryOptions _options;
    private readonly RetryPolicy _retry;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public RegistryTransport(HttpClient http, OciRegistryOptions options, IRegistryCredentialProvider? credentials,
        RetryPolicy retry, TimeProvider timeProvider, ILogger logger)
    {
        _http = http;
        _options = options;
        _retry = retry;
        _timeProvider = timeProvider;
        _logger = logger;
        Authenticator = new RegistryAuthenticator(credentials, SendWithRetryAsync, timeProvider, logger);
    }

    public RegistryAuthenticator Authenticator { get; }

    /// <summary><c>http(s)://registry/v2/</c> for <paramref name="registry"/>.</summary>
    public Uri BaseUri(string registry) => new($"{(UsesPlainHttp(registry) ? "http" : "https")}://{registry}/v2/");

    /// <summary>Sends with retries and, on a 401 challenge, once more with the authorization it asks for.</summary>
    public async Task<RegistryResponse> SendAsync(RegistryCall call, CancellationToken cancellationToken)
    {
        var challengeAnswered = false;
        while (true)
        {
            var response = await SendWithRetryAsync(call, applyAuth: true, cancellationToken);
            if (response.Message.StatusCode != HttpStatusCode.Unauthorized || challengeAnswered)
            {
                return response;
            }

            var challenge = AuthChallenge.FromResponse(response.Message);
            if (challenge is null || !Authenticator.AcceptChallenge(call, challenge))
            {
                return response;
            }

            challengeAnswered = true;
            response.Dispose();
        }
    }

    private Task<RegistryResponse> SendWithRetryAsync(RegistryCall call, CancellationToken cancellationToken) =>
        SendWithRetryAsync(call, applyAuth: false, cancellationToken);

    private async Task<RegistryResponse> SendWithRetryAsync(RegistryCall call, bool applyAuth,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage? response = null;
            Exception? failure = null;
            try
            {
                response = await SendOnceAsync(call, applyAuth, cancellationToken);
            }
            catch (Exception ex) when (RetryPolicy.IsTransient(ex, cancellationToken))
            {
                failure = ex;
            }
            catch (HttpRequestException ex) when (ex.InnerException is AuthenticationException)
            {
                throw new RegistryException(RegistryFailure.Unreachable, call.Registry, call.Repository,
                    $"cannot reach registry {call.Registry}: TLS handshake failed ({ex.InnerException.Message}) while " +
                    $"{call.Operation}; set {OciRegistryOptions.SectionName}:CaCertificateFile to the registry's CA, " +
                    $"or list it in {OciRegistryOptions.SectionName}:PlainHttpRegistries if it serves plain http",
                    attempts: attempt, innerException: ex);
            }

            if (response is not null && !RetryPolicy.IsTransient(response.StatusCode))
            {
                return new RegistryResponse(response, attempt);
            }

            if (attempt >= _retry.MaxAttempts)
            {
                return response is not null
                    ? new RegistryResponse(response, attempt)
                    : throw Unreachable(call, failure!, attempt);
            }

            var reason = response is not null ? ((int)response.StatusCode).ToString() : Describe(failure!);
            var retryAfter = response?.Headers.RetryAfter?.Delta;
            response?.Dispose();
            LogRetrying(_logger, call.Registry, call.Operation, attempt, _retry.MaxAttempts, reason);
            await _retry.DelayAsync(attempt, retryAfter, cancellationToken);
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(RegistryCall call, bool applyAuth,
        CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = call.CreateRequest();
        if (applyAuth)
        {
            await Authenticator.ApplyAsync(request, call, cancellationToken);
        }

        return await _http.SendAsync(request, call.Completion, linked.Token);
    }

    private bool UsesPlainHttp(string registry)
    {
        if (_options.PlainHttpRegistries.Contains(registry, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!_options.PlainHttpForLoopback)
        {
            return false;
        }

        var host = registry.StartsWith('[')
            ? registry[1..registry.IndexOf(']', StringComparison.Ordinal)]
            : registry.Split(':')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
               || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    private RegistryException Unreachable(RegistryCall call, Exception failure, int attempts) =>
        new(RegistryFailure.Unreachable, call.Registry, call.Repository,
            $"cannot reach registry {call.Registry}: {Describe(failure)} (after {attempts} attempt(s) while " +
            $"{call.Operation}); check the registry address and that it is running",
            attempts: attempts, innerException: failure);

    private string Describe(Exception failure)
    {
        if (failure is OperationCanceledException)
        {
            return $"no answer within {_options.RequestTimeout.TotalSeconds:0.###}s";
        }

        for (var inner = failure; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.HostNotFound or SocketError.NoData => "host not found",
                    SocketError.TimedOut => "connection timed out",
                    SocketError.ConnectionReset => "connection reset",
                    _ => socket.Message,
                };
            }
        }

        return failure.Message;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "Retrying registry {Registry} while {Operation}: attempt {Attempt} of {MaxAttempts} failed ({Reason})")]
    private static partial void LogRetrying(ILogger logger, string registry, string operation, int attempt,
        int maxAttempts, string reason);
}
