using System.Collections.Immutable;
using System.IO.Compression;
using System.Text.Json;
using Conductor.Federation;
using Conductor.Federation.Protocol;
using Google.Protobuf;

namespace Conductor.Grains.Federation.Storage;

/// <summary>
/// Reads the events of one stored audit chunk in either encoding the sink has written: the compressed protobuf
/// <see cref="AuditEventBatch"/> under <see cref="AuditChunkStore.EventsKey"/>, or the gzip JSON array of earlier
/// versions under <see cref="AuditChunkStore.JsonEventsKey"/>, so the trail reads whole across an upgrade.
/// </summary>
public static class AuditChunkReader
{
    /// <param name="chunk">namespace/name of the ConfigMap, for the error.</param>
    public static List<AuditRecord> Read(string chunk, IDictionary<string, byte[]>? binaryData)
    {
        byte[]? protobuf = null;
        byte[]? json = null;
        var found = binaryData is not null
            && (binaryData.TryGetValue(AuditChunkStore.EventsKey, out protobuf) | binaryData.TryGetValue(AuditChunkStore.JsonEventsKey, out json));
        if (!found || (protobuf is not null && json is not null))
        {
            throw new InvalidDataException(
                $"Audit chunk ConfigMap {chunk} must hold exactly one of binaryData keys {AuditChunkStore.EventsKey} and " +
                $"{AuditChunkStore.JsonEventsKey}; it holds {(found ? "both" : "neither")}");
        }

        var key = protobuf is not null ? AuditChunkStore.EventsKey : AuditChunkStore.JsonEventsKey;
        try
        {
            var events = protobuf is not null ? ReadProtobuf(protobuf) : ReadJson(json!);
            return events.Count > 0 ? events : throw new InvalidDataException("it holds no events; the sink never writes an empty chunk");
        }
        catch (Exception e) when (e is InvalidDataException or InvalidProtocolBufferException or JsonException or InvalidOperationException or EndOfStreamException)
        {
            throw new InvalidDataException(
                $"Audit chunk ConfigMap {chunk} binaryData key {key} is corrupt ({e.Message}); its events cannot be read", e);
        }
    }

    private static List<AuditRecord> ReadProtobuf(byte[] payload)
    {
        using var decompressed = AuditChunkCompression.Decompress(new MemoryStream(payload));
        var batch = AuditEventBatch.Parser.ParseFrom(decompressed);
        var records = new List<AuditRecord>(batch.Events.Count);
        foreach (var e in batch.Events)
        {
            records.Add(new AuditRecord(
                e.Sequence, e.OccurredAt?.ToDateTimeOffset(), e.Actor, e.Verb, e.Resource, e.Namespace, e.Name, e.Outcome,
                e.MatchedPolicy, e.Details.Count == 0 ? null : e.Details.ToImmutableDictionary()));
        }

        return records;
    }

    private static List<AuditRecord> ReadJson(byte[] payload)
    {
        using var gzip = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
        return JsonSerializer.Deserialize<List<AuditRecord>>(gzip, AuditChunkStore.Json)
            ?? throw new InvalidDataException("the JSON is null, not an array of events");
    }
}
