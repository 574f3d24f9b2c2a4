using System.Net;

namespace Conductor.Registry.Distribution;

/// <summary>
/// A registry operation failed. The message names the registry, the repository, what was being done and what to fix;
/// the properties carry the same facts for callers that map failures to results.
/// </summary>
public sealed class RegistryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RegistryException(
        RegistryFailure failure,
        string registry,
        string? repository,
        string message,
        HttpStatusCode? statusCode = null,
        string? errorCode = null,
        int attempts = 1,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
        Registry = registry;
        Repository = repository;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        Attempts = attempts;
    }

    /// <summary>The failure class.</summary>
    public RegistryFailure Failure { get; }

    /// <summary>The registry host[:port].</summary>
    public string Registry { get; }

    /// <summary>The repository, when the operation had one.</summary>
    public string? Repository { get; }

    /// <summary>The last HTTP status, when the registry answered.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The first OCI error code from the registry's error body (e.g. <c>NAME_UNKNOWN</c>), when present.</summary>
    public string? ErrorCode { get; }

    /// <summary>How many attempts were made before giving up.</summary>
    public int Attempts { get; }
}
