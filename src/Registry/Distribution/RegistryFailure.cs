namespace Conductor.Registry.Distribution;

/// <summary>What kind of failure a <see cref="RegistryException"/> reports, so callers can map it to a result.</summary>
public enum RegistryFailure
{
    /// <summary>No connection could be made (refused, DNS, TLS, timeout).</summary>
    Unreachable,

    /// <summary>401: missing or wrong credentials, or the token service refused them.</summary>
    Unauthorized,

    /// <summary>403: the credentials lack access to the repository.</summary>
    Forbidden,

    /// <summary>404: the repository, manifest or blob does not exist.</summary>
    NotFound,

    /// <summary>Another 4xx: the registry refused the request as sent.</summary>
    Rejected,

    /// <summary>429 or 5xx that persisted through every retry.</summary>
    ServerError,

    /// <summary>Content did not hash to the digest it was requested by or announced with.</summary>
    DigestMismatch,

    /// <summary>The registry answered something the protocol does not allow (missing header, bad JSON).</summary>
    InvalidResponse,
}
