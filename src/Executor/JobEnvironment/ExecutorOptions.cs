using System.Text.Json;
using System.Text.Json.Nodes;
using Conductor.Runner;

namespace Conductor.Executor.JobEnvironment;

/// <summary>What the step sequencer told this Job through its environment (<see cref="JobProtocol"/>).</summary>
public sealed record ExecutorOptions
{
    /// <summary>Env: directory of trusted management public keys (one PKIX PEM file per key), mounted from a Secret.</summary>
    public const string TrustedKeysDirEnvVar = "SIGNING_PUBLIC_KEYS_DIR";

    /// <summary>Where the trusted management public keys are mounted when <see cref="TrustedKeysDirEnvVar"/> is unset.</summary>
    public const string DefaultTrustedKeysDirectory = "/var/run/secrets/seam-signing-public";

    /// <summary>Env: seconds pack-deploy waits for its workloads to become ready (1-3600).</summary>
    public const string ReadyTimeoutEnvVar = "PACK_READY_TIMEOUT_SECONDS";

    /// <summary>How long pack-deploy waits for readiness when <see cref="ReadyTimeoutEnvVar"/> is unset.</summary>
    public static readonly TimeSpan DefaultReadyTimeout = TimeSpan.FromMinutes(5);

    private const int MaxReadyTimeoutSeconds = 3600;

    public required string Capability { get; init; }
    public required string ClusterRef { get; init; }
    public required string StepName { get; init; }

    /// <summary>The step's parameters; null when STEP_PARAMETERS is absent or could not be parsed.</summary>
    public JsonObject? StepParameters { get; init; }

    /// <summary>The result ConfigMap's name (the Job's name); empty when RESULT_CONFIGMAP is absent.</summary>
    public required string ResultConfigMap { get; init; }

    public required string Namespace { get; init; }
    public required string TargetKubeconfigPath { get; init; }
    public required string TalosconfigPath { get; init; }

    /// <summary>The directory of trusted management public keys; an absolute path.</summary>
    public required string TrustedKeysDirectory { get; init; }

    /// <summary>How long pack-deploy waits for Deployments, StatefulSets and CRDs to become ready.</summary>
    public required TimeSpan ReadyTimeout { get; init; }

    /// <summary>
    /// Every problem with the environment, each naming the variable and the rule. A problem here is recorded as a
    /// ValidationFailure result, except a missing <see cref="JobProtocol.ResultConfigMapEnvVar"/>, without which
    /// nothing can be recorded.
    /// </summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>Reads the job protocol variables through <paramref name="read"/> (normally the process environment).</summary>
    public static ExecutorOptions Read(Func<string, string?> read)
    {
        var errors = new List<string>();
        string Required(string name)
        {
            var value = read(name);
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"{name} is required and not set; the step sequencer sets it on the Job");
                return "";
            }
            return value;
        }

        var options = new ExecutorOptions
        {
            Capability = Required(JobProtocol.CapabilityEnvVar),
            ClusterRef = Required(JobProtocol.ClusterRefEnvVar),
            StepName = Required(JobProtocol.StepNameEnvVar),
            ResultConfigMap = Required(JobProtocol.ResultConfigMapEnvVar),
            StepParameters = ParseParameters(read(JobProtocol.StepParametersEnvVar), errors),
            Namespace = NonEmptyOr(read(JobProtocol.PodNamespaceEnvVar), JobProtocol.Namespace),
            TargetKubeconfigPath = NonEmptyOr(read(JobProtocol.TargetKubeconfigEnvVar), JobProtocol.TargetKubeconfigPath),
            TalosconfigPath = NonEmptyOr(read(JobProtocol.TalosconfigEnvVar), JobProtocol.TalosconfigPath),
            TrustedKeysDirectory = AbsolutePath(read(TrustedKeysDirEnvVar), errors),
            ReadyTimeout = ParseReadyTimeout(read(ReadyTimeoutEnvVar), errors),
        };
        return options with { Errors = errors };
    }

    private static JsonObject? ParseParameters(string? text, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }
        try
        {
            if (JsonNode.Parse(text) is JsonObject parameters)
            {
                return parameters;
            }
            errors.Add($"{JobProtocol.StepParametersEnvVar} must be a JSON object such as {{\"bucket\":\"b\"}}; got {text}");
        }
        catch (JsonException e)
        {
            errors.Add($"{JobProtocol.StepParametersEnvVar} is not valid JSON: {e.Message}");
        }
        return null;
    }

    private static string AbsolutePath(string? value, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return DefaultTrustedKeysDirectory;
        }
        if (!Path.IsPathFullyQualified(value))
        {
            errors.Add($"{TrustedKeysDirEnvVar} must be an absolute directory path (the Secret's mount path); got '{value}'");
        }
        return value;
    }

    private static TimeSpan ParseReadyTimeout(string? value, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return DefaultReadyTimeout;
        }
        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            && seconds is >= 1 and <= MaxReadyTimeoutSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }
        errors.Add($"{ReadyTimeoutEnvVar} must be a whole number of seconds from 1 to {MaxReadyTimeoutSeconds}; got '{value}'");
        return DefaultReadyTimeout;
    }

    private static string NonEmptyOr(string? value, string fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value;
}
