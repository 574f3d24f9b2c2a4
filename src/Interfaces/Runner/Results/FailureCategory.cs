using System.Text.Json.Serialization;

namespace Conductor.Runner.Results;

/// <summary>Why a capability run failed: exactly the seven categories of the platform. The member names are the wire names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FailureCategory>))]
public enum FailureCategory
{
    /// <summary>The step's parameters, or the resources they name, are missing or invalid; retrying will not help.</summary>
    [JsonStringEnumMemberName("ValidationFailure")]
    ValidationFailure,

    /// <summary>The capability is not known to, or not implemented by, this executor image.</summary>
    [JsonStringEnumMemberName("CapabilityUnavailable")]
    CapabilityUnavailable,

    /// <summary>An operation against the Kubernetes or Talos API failed while running.</summary>
    [JsonStringEnumMemberName("ExecutionFailure")]
    ExecutionFailure,

    /// <summary>An external service failed: object storage, an OCI registry, Guardian.</summary>
    [JsonStringEnumMemberName("ExternalDependencyFailure")]
    ExternalDependencyFailure,

    /// <summary>The run would break a platform invariant (for example, a compile-only capability in a Job).</summary>
    [JsonStringEnumMemberName("InvariantViolation")]
    InvariantViolation,

    /// <summary>The operation is not permitted by the platform licence.</summary>
    [JsonStringEnumMemberName("LicenseViolation")]
    LicenseViolation,

    /// <summary>Storage the run needs (a temporary volume) could not be provided.</summary>
    [JsonStringEnumMemberName("StorageUnavailable")]
    StorageUnavailable,
}
