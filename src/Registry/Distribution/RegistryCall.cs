namespace Conductor.Registry.Distribution;

/// <summary>
/// One logical registry request: who it is for, what it does (for messages and logs), the token scopes it needs and
/// a factory that builds a fresh <see cref="HttpRequestMessage"/> per attempt (a sent request cannot be resent).
/// </summary>
internal sealed record RegistryCall(
    string Registry,
    string? Repository,
    string Operation,
    IReadOnlyList<string> Scopes,
    Func<HttpRequestMessage> CreateRequest,
    HttpCompletionOption Completion = HttpCompletionOption.ResponseContentRead);
