namespace Conductor.Silo.Federation.AuditWal;

/// <summary>One durable record of the audit WAL: the sequence the WAL assigned and the bytes appended.</summary>
public sealed record AuditWalRecord(ulong Sequence, ReadOnlyMemory<byte> Payload);
