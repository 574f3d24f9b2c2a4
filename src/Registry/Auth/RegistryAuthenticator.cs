using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Conductor.Registry.Distribution;
using Microsoft.Extensions.Logging;

namespace Conductor.Registry.Auth;

/// <summary>
/// Answers registry challenges. It remembers each registry's scheme after the first 401, so later requests carry
/// credentials up front: Basic sends the configured credentials; Bearer fetches a token from the challenge's realm
/// (<c>GET realm?service=…&amp;scope=…</c>, with Basic credentials when configured) and caches it per scope set
/// until shortly before <c>expires_in</c>.
/// </summary>
internal sealed partial class RegistryAuthenticator(
    IRegistryCredentialProvider? credentials,
    Func<RegistryCall, CancellationToken, Task<RegistryResponse>> sendWithoutAuth,
    TimeProvider timeProvider,
    ILogger logger)
{
    // Docker's token spec: a token without expires_in is valid for 60 seconds.
    private static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, AuthChallenge> _challenges = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, BearerToken> _tokens = new(StringComparer.Ordinal);

    private int _tokensFetched;

    /// <summary>How many tokens were fetched from token services (exposed for tests of the cache).</summary>
    public int TokensFetched => _tokensFetched;

    /// <summary>The credentials configured for <paramref name="registry"/>, or null.</summary>
    public RegistryCredentials? CredentialsFor(string registry) => credentials?.Find(registry);

    /// <summary>Adds the Authorization header the registry is known to want, fetching a token if needed.</summary>
    public async Task ApplyAsync(HttpRequestMessage request, RegistryCall call, CancellationToken cancellationToken)
    {
        if (!_challenges.TryGetValue(call.Registry, out var challenge))
        {
            return;
        }

        if (challenge.IsBasic)
        {
            if (CredentialsFor(call.Registry) is { } basic)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic.ToBasicParameter());
            }

            return;
        }

        var token = await GetTokenAsync(call, challenge, cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>
    /// Learns from a 401 challenge. Returns true when a retry with new authorization can succeed: the scheme was
    /// new, or a cached token was dropped (expired or too narrow). Returns false when the credentials we already sent
    /// were refused, or there are none to send.
    /// </summary>
    public bool AcceptChallenge(RegistryCall call, AuthChallenge challenge)
    {
        var known = _challenges.TryGetValue(call.Registry, out var previous);
        _challenges[call.Registry] = challenge;
        if (challenge.IsBasic)
        {
            return (!known || !previous!.IsBasic) && CredentialsFor(call.Registry) is not null;
        }

        if (challenge.IsBearer)
        {
            if (!Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm)
                || (realm.Scheme != Uri.UriSchemeHttp && realm.Scheme != Uri.UriSchemeHttps))
            {
                throw new RegistryException(RegistryFailure.InvalidResponse, call.Registry, call.Repository,
                    $"registry {call.Registry} sent a Bearer challenge without an http(s) realm " +
                    $"('{challenge.Realm}') while {call.Operation}: fix the registry's auth.token.realm setting");
            }

            if (!known || !previous!.IsBearer)
            {
                return true;
            }

            // We sent a token and it was refused: drop it so the retry fetches one for the scopes asked for now.
            return _tokens.TryRemove(TokenKey(challenge, ScopesFor(call, challenge)), out _);
        }

        return false;
    }

    private async Task<string> GetTokenAsync(RegistryCall call, AuthChallenge challenge, CancellationToken cancellationToken)
    {
        var scopes = ScopesFor(call, challenge);
        var key = TokenKey(challenge, scopes);
        if (_tokens.TryGetValue(key, out var cached) && cached.ReuseUntil > timeProvider.GetUtcNow())
        {
            return cached.Value;
        }

        var token = await FetchTokenAsync(call, challenge, scopes, cancellationToken);
        _tokens[key] = token;
        return token.Value;
    }

    private async Task<BearerToken> FetchTokenAsync(RegistryCall call, AuthChallenge challenge,
        IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (!string.IsNullOrEmpty(challenge.Service))
        {
            query.Add("service=" + Uri.EscapeDataString(challenge.Service));
        }

        query.AddRange(scopes.Select(scope => "scope=" + Uri.EscapeDataString(scope)));
        var realm = challenge.Realm!;
        var uri = new Uri(realm + (query.Count == 0 ? "" : (realm.Contains('?', StringComparison.Ordinal) ? "&" : "?") +
                                   string.Join('&', query)));
        var basic = CredentialsFor(call.Registry);
        var scopeText = string.Join(' ', scopes);
        LogFetchingToken(logger, call.Registry, challenge.Service ?? "", scopeText);
        var tokenCall = call with
        {
            Operation = $"fetching a token from {realm} for {call.Operation}",
            CreateRequest = () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, uri);
                if (basic is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic.ToBasicParameter());
                }

                return request;
            },
        };

        using var response = await sendWithoutAuth(tokenCall, cancellationToken);
        var status = response.Message.StatusCode;
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new RegistryException(RegistryFailure.Unauthorized, call.Registry, call.Repository,
                $"authentication failed for registry {call.Registry}: token service {realm} answered {(int)status} " +
                $"while {call.Operation}; " + (basic is null
                    ? $"no credentials are configured for {call.Registry}: provide them"
                    : $"check the credentials for {call.Registry}"),
                status, attempts: response.Attempts);
        }

        if (status != HttpStatusCode.OK)
        {
            throw new RegistryException(
                RetryPolicyStatus(status) ? RegistryFailure.ServerError : RegistryFailure.Rejected,
                call.Registry, call.Repository,
                $"token service {realm} for registry {call.Registry} failed with {(int)status} after " +
                $"{response.Attempts} attempt(s) while {call.Operation}: check the token service",
                status, attempts: response.Attempts);
        }

        Interlocked.Increment(ref _tokensFetched);
        return await ReadTokenAsync(response.Message, call, realm, cancellationToken);
    }

    private async Task<BearerToken> ReadTokenAsync(HttpResponseMessage response, RegistryCall call, string realm,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            var root = document.RootElement;
            var value = root.TryGetProperty("token", out var t) && t.GetString() is { Length: > 0 } token ? token
                : root.TryGetProperty("access_token", out var a) && a.GetString() is { Length: > 0 } access ? access
                : null;
            if (value is null)
            {
                throw new JsonException("neither 'token' nor 'access_token' is set");
            }

            var lifetime = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : DefaultTokenLifetime;

            // Stop reusing a token a little before it expires so it never expires in flight.
            var reuseFor = lifetime - TimeSpan.FromTicks(Math.Min(lifetime.Ticks / 10, TimeSpan.FromSeconds(30).Ticks));
            return new BearerToken(value, timeProvider.GetUtcNow() + reuseFor);
        }
        catch (JsonException ex)
        {
            throw new RegistryException(RegistryFailure.InvalidResponse, call.Registry, call.Repository,
                $"token service {realm} for registry {call.Registry} returned an unusable token response " +
                $"({ex.Message}) while {call.Operation}: it must return JSON with 'token' or 'access_token'",
                response.StatusCode, innerException: ex);
        }
    }

    private static bool RetryPolicyStatus(HttpStatusCode status) => (int)status >= 500 || status == HttpStatusCode.TooManyRequests;

    // The scopes the operation needs, sorted for a stable cache key. The challenge's own scope only stands in when
    // the call names none (the /v2/ ping): a stored challenge may come from another repository's request.
    private static List<string> ScopesFor(RegistryCall call, AuthChallenge challenge)
    {
        IEnumerable<string> scopes = call.Scopes.Count > 0
            ? call.Scopes
            : (challenge.Scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return [.. scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static string TokenKey(AuthChallenge challenge, IReadOnlyList<string> scopes) =>
        $"{challenge.Realm}|{challenge.Service}|{string.Join(' ', scopes)}";

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug,
        Message = "Fetching registry token for {Registry} service {Service} scope {Scope}")]
    private static partial void LogFetchingToken(ILogger logger, string registry, string service, string scope);
}
