using System.Net;
using Conductor.Registry.Auth;

namespace Conductor.Registry.Distribution;

/// <summary>Turns an unexpected registry answer into a <see cref="RegistryException"/> that says what to fix.</summary>
internal static class RegistryErrors
{
    public static async Task<RegistryException> FromResponseAsync(RegistryCall call, RegistryResponse response,
        bool hasCredentials, CancellationToken cancellationToken)
    {
        var status = response.Message.StatusCode;
        var code = (int)status;
        var body = await RegistryErrorBody.ReadAsync(response.Message, cancellationToken);
        var said = body is null ? "" : $" ({body})";
        var repository = call.Repository ?? "";
        var challengeError = status == HttpStatusCode.Unauthorized
            ? AuthChallenge.FromResponse(response.Message)?.Error
            : null;
        var (failure, message) = status switch
        {
            // A token that authenticates but lacks the repository action: more credentials will not help, access will.
            HttpStatusCode.Unauthorized when challengeError == "insufficient_scope" => (RegistryFailure.Forbidden,
                $"access denied by registry {call.Registry} to repository {repository}: the token lacks the needed " +
                $"scope (insufficient_scope) while {call.Operation}; grant the credentials access to {repository}"),
            HttpStatusCode.Unauthorized => (RegistryFailure.Unauthorized,
                $"authentication failed for registry {call.Registry}: it answered 401{said} while {call.Operation}; " +
                (hasCredentials
                    ? $"check the credentials for {call.Registry}"
                    : $"no credentials are configured for {call.Registry}: provide them")),
            HttpStatusCode.Forbidden => (RegistryFailure.Forbidden,
                $"access denied by registry {call.Registry} to repository {repository}: it answered 403{said} while " +
                $"{call.Operation}; grant the credentials access to {repository}"),
            HttpStatusCode.NotFound => (RegistryFailure.NotFound, NotFoundMessage(call, body, said)),
            _ when RetryPolicyStatus(status) => (RegistryFailure.ServerError,
                $"registry {call.Registry} failed with {code} after {response.Attempts} attempt(s) while " +
                $"{call.Operation}{said}; retry later or check the registry's health"),
            _ => (RegistryFailure.Rejected,
                $"registry {call.Registry} rejected {call.Operation} with {code}{said}; check the request against " +
                "the registry's configuration (read-only mode, size limits, media types)"),
        };
        return new RegistryException(failure, call.Registry, call.Repository, message, status, body?.Code,
            response.Attempts);
    }

    public static RegistryException InvalidResponse(RegistryCall call, string problem) =>
        new(RegistryFailure.InvalidResponse, call.Registry, call.Repository,
            $"registry {call.Registry} answered {call.Operation} incorrectly: {problem}; it may not implement the OCI " +
            "distribution API");

    private static string NotFoundMessage(RegistryCall call, RegistryErrorBody? body, string said) =>
        (body?.Code) switch
        {
            "MANIFEST_UNKNOWN" =>
                $"manifest not found in repository {call.Repository} on registry {call.Registry}{said} while " +
                $"{call.Operation}: check the repository name and the tag or digest",
            "BLOB_UNKNOWN" or "BLOB_UPLOAD_UNKNOWN" =>
                $"blob not found in repository {call.Repository} on registry {call.Registry}{said} while " +
                $"{call.Operation}: push it first or check the digest",
            _ => $"repository {call.Repository} not found on registry {call.Registry}{said} while {call.Operation}: " +
                 "check the repository name and the registry address",
        };

    private static bool RetryPolicyStatus(HttpStatusCode status) =>
        (int)status >= 500 || status == HttpStatusCode.TooManyRequests;
}
