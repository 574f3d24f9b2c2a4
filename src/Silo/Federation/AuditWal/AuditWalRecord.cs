namespace Conductor.Silo.Federation.AuditWal;

/// <summary>
/// One durable record of the audit WAL: the sequence the WAL assigned and the bytes appended. A struct: the live
/// tail holds thousands and the sender copies them into batches, none of which should cost an object each.
/// </summary>
public readonly record struct AuditWalRecord(ulong Sequence, ReadOnlyMemory<byte> Payload);
