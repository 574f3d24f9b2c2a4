namespace Conductor.Registry.Auth;

/// <summary>A token from a Docker token service and the instant after which we stop reusing it.</summary>
internal sealed record BearerToken(string Value, DateTimeOffset ReuseUntil);
