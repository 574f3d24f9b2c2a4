namespace Conductor.Federation;

/// <summary>What management knows of one tenant's federation channel (memory only; rebuilt on reconnect).</summary>
[GenerateSerializer, Immutable]
public sealed record TenantSessionStatus(
    [property: Id(0)] bool Connected,
    [property: Id(1)] Guid? StreamId,
    [property: Id(2)] DateTimeOffset? LastHeartBeat,
    [property: Id(3)] DateTimeOffset? LastAck,
    [property: Id(4)] int MissedAcks,
    [property: Id(5)] bool Degraded);
