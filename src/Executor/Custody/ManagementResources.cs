using System.Net;
using System.Text.Json;
using Conductor.Executor.JobEnvironment;
using Conductor.Executor.Runs;
using Conductor.Runner.Results;
using Conductor.Signing;
using k8s;
using k8s.Autorest;

namespace Conductor.Executor.Custody;

/// <summary>
/// Reads the Seam resources a capability acts on from the management cluster, as the API server returns them, and
/// verifies a signed one's management signature against its spec exactly as served (no re-serialisation through a
/// model, which could drop or add fields) before anything acts on it.
/// </summary>
public sealed class ManagementResources(IKubernetes management)
{
    /// <summary>The trusted management keys from the mounted directory; a problem is a ValidationFailure naming the setting.</summary>
    public static TrustedKeySet LoadTrustedKeys(string directory)
    {
        try
        {
            return TrustedKeySet.FromDirectory(directory);
        }
        catch (Exception e) when (e is SigningKeyException or IOException or UnauthorizedAccessException)
        {
            throw new CapabilityFailureException(FailureCategory.ValidationFailure,
                $"{ExecutorOptions.TrustedKeysDirEnvVar}: {e.Message}; nothing is applied without a verified management signature", e);
        }
    }

    /// <summary>The resource, or a ValidationFailure when it does not exist.</summary>
    public async Task<JsonElement> ReadAsync(string group, string version, string plural, string kind, string @namespace, string name,
        CancellationToken cancellationToken)
    {
        try
        {
            return await management.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(group, version, @namespace, plural, name, cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new CapabilityFailureException(FailureCategory.ValidationFailure,
                $"{kind} {@namespace}/{name} does not exist on the management cluster; check the step parameters");
        }
        catch (HttpOperationException e)
        {
            throw new CapabilityFailureException(FailureCategory.ExecutionFailure,
                $"reading {kind} {@namespace}/{name} from the management cluster failed: {(int)e.Response.StatusCode} {e.Response.Content}", e);
        }
    }

    /// <summary>
    /// Checks the <see cref="SignatureAnnotations.Signature"/> annotation of <paramref name="resource"/> against its spec;
    /// returns the signing key id. An absent, malformed, untrusted or non-matching signature is a ValidationFailure
    /// naming the resource and the cause.
    /// </summary>
    public static string VerifySignature(JsonElement resource, string what, TrustedKeySet trusted)
    {
        string? annotation = null;
        if (resource.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("annotations", out var annotations)
            && annotations.ValueKind == JsonValueKind.Object && annotations.TryGetProperty(SignatureAnnotations.Signature, out var value))
        {
            annotation = value.GetString();
        }
        if (annotation is null)
        {
            throw Refused(what, SpecVerificationStatus.Missing,
                $"the {SignatureAnnotations.Signature} annotation is absent; it was never signed by management or the signature was removed");
        }
        if (!SignatureAnnotations.TryParse(annotation, out var signature))
        {
            throw Refused(what, SpecVerificationStatus.MalformedSignature, $"the {SignatureAnnotations.Signature} annotation is not '{{keyId}}:{{base64}}'");
        }
        var spec = resource.TryGetProperty("spec", out var s) ? s : default;
        var result = new SpecVerifier(trusted).Verify(spec, signature.KeyId, signature.Signature);
        return result.IsValid ? signature.KeyId : throw Refused(what, result.Status, result.Reason);
    }

    private static CapabilityFailureException Refused(string what, SpecVerificationStatus status, string reason) =>
        new(FailureCategory.ValidationFailure, $"{what} failed signature verification ({status}): {reason}; nothing was applied");
}
