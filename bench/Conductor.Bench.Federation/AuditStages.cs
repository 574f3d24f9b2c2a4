using System.Buffers;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO.Compression;
using Conductor.Federation;
using Conductor.Federation.Protocol;
using Conductor.Grains.Federation.Storage;
using Conductor.Silo.Federation.AuditWal;
using Conductor.Silo.Federation.Gateway;
using Conductor.Silo.Federation.Protocol;
using Conductor.Silo.Tenant.Federation;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conductor.Bench.Federation;

/// <summary>
/// The audit path's stages one at a time, in this process, each with its rate and CPU per event, to show which
/// stage the end-to-end figure pays for: WAL append with group-commit fsync, WAL read-back into wire batches,
/// wire-to-domain mapping, and the sink's chunk encoding.
/// </summary>
public static class AuditStages
{
    public static async Task PrintAsync(string directory, int events, int batch)
    {
        await using var wal = AuditWal.Open(new AuditWalOptions { Path = Path.Combine(directory, $"stages-wal-{Guid.NewGuid():N}"), MaxBytes = 1L << 30 }, NullLogger<AuditWal>.Instance);
        var log = new AuditEventLog(wal);
        await Stage("WAL append + fsync", events, async () =>
        {
            var pending = new ValueTask<ulong>[events];
            for (var i = 0; i < events; i++)
            {
#pragma warning disable CA2012 // held to be awaited exactly once below, as a burst of callers would
                pending[i] = log.RecordAsync(AuditBatches.Event(0));
#pragma warning restore CA2012
            }

            foreach (var append in pending)
            {
                await append;
            }
        });

        var batches = new List<AuditEventBatch>();
        await Stage("WAL read-back + parse (replay only; live sends WAL bytes)", events, async () =>
        {
            var current = new AuditEventBatch();
            await foreach (var record in wal.ReadAsync(1))
            {
                var auditEvent = AuditEvent.Parser.ParseFrom(record.Payload.Span);
                auditEvent.Sequence = record.Sequence;
                current.Events.Add(auditEvent);
                if (current.Events.Count >= batch)
                {
                    batches.Add(current);
                    current = new AuditEventBatch();
                }
            }
        });

        var records = new List<AuditRecord>(events);
        await Stage("wire -> domain mapping", events, () =>
        {
            foreach (var wire in batches)
            {
                records.AddRange(wire.Events.Select(FederationMapping.ToDomain));
            }

            return Task.CompletedTask;
        });

        records.Clear();
        records.AddRange(await CompareEnvelopeReadsAsync(batches));

        await Stage("sink chunk encoding (protobuf + zlib)", records.Count, () =>
        {
            for (var at = 0; at < records.Count; at += AuditChunkStore.MaxChunkEvents)
            {
                AuditChunking.FirstChunk(records.GetRange(at, Math.Min(AuditChunkStore.MaxChunkEvents, records.Count - at)));
            }

            return Task.CompletedTask;
        });

        // The sink's other per-event work on a batch the forwarder delivers (at most one chunk's events): picking the
        // new run, for a batch that is all new and for one whose first half was stored already (a replay).
        var delivered = new List<ImmutableArray<AuditRecord>>();
        for (var at = 0; at < records.Count; at += AuditChunkStore.MaxChunkEvents)
        {
            delivered.Add([.. records.GetRange(at, Math.Min(AuditChunkStore.MaxChunkEvents, records.Count - at))]);
        }

        await Stage("sink run selection (new + replayed)", 2 * records.Count, () =>
        {
            foreach (var batch in delivered)
            {
                AuditChunking.ContiguousAfter(batch, batch[0].Sequence - 1);
                AuditChunking.ContiguousAfter(batch, batch[0].Sequence - 1 + (ulong)(batch.Length / 2));
            }

            return Task.CompletedTask;
        });

        await CompareCompressorsAsync(records);
    }

    /// <summary>
    /// The gateway's whole read of an audit envelope, from the bytes gRPC hands over to the records it queues: the
    /// generated parser followed by the mapping, against the gateway's own parser (<see cref="InboundEnvelopeParser"/>),
    /// interleaved five times; the best CPU and the bytes allocated per event of each. Returns the gateway parser's
    /// records (repeated values shared, as the sink receives them).
    /// </summary>
    private static async Task<AuditRecord[]> CompareEnvelopeReadsAsync(List<AuditEventBatch> batches)
    {
        var envelopes = batches.Select(b => new Envelope { Type = MessageType.AuditEventBatch, Sequence = 1, AuditEventBatch = b }.ToByteArray()).ToList();
        var events = batches.Sum(b => b.Events.Count);
        var parsed = new AuditRecord[events];
        (string Name, Func<byte[], AuditRecord[]> Read)[] readers =
        [
            ("generated + mapping", bytes => [.. Envelope.Parser.ParseFrom(bytes).AuditEventBatch.Events.Select(FederationMapping.ToDomain)]),
            ("gateway parser", bytes => InboundEnvelopeParser.Parse(new ReadOnlySequence<byte>(bytes)).AuditEvents!),
        ];
        var best = readers.ToDictionary(r => r.Name, _ => (Cpu: double.MaxValue, Bytes: double.MaxValue));
        for (var round = 0; round < 5; round++)
        {
            foreach (var (name, read) in readers)
            {
                var allocated = GC.GetTotalAllocatedBytes(precise: true);
                var cpu = await CpuPerEventAsync(events, () =>
                {
                    var at = 0;
                    foreach (var bytes in envelopes)
                    {
                        var records = read(bytes);
                        records.CopyTo(parsed, at);
                        at += records.Length;
                    }

                    return Task.CompletedTask;
                });
                var perEvent = (double)(GC.GetTotalAllocatedBytes(precise: true) - allocated) / events;
                best[name] = (Math.Min(best[name].Cpu, cpu), Math.Min(best[name].Bytes, perEvent));
            }
        }

        foreach (var (name, (cpu, bytes)) in best)
        {
            Console.WriteLine($"stage      envelope -> domain, {name,-20} {cpu,5:F2} us CPU/event, {bytes,6:F0} bytes allocated/event (best of 5)");
        }

        return parsed;
    }

    /// <summary>
    /// The protobuf chunk encoding with each candidate compressor, on the bench's events (one name for all), on
    /// the same with a name per event, and on richer ones (also a timestamp, five verbs and two details each),
    /// interleaved three times; the best CPU of each, and a full chunk's size.
    /// </summary>
    private static async Task CompareCompressorsAsync(List<AuditRecord> bench)
    {
        var plain = bench.Select(e => e with { Name = $"item-{e.Sequence}" }).ToList();
        var start = new DateTimeOffset(2026, 11, 27, 23, 0, 0, TimeSpan.Zero);
        string[] verbs = ["get", "update", "patch", "create", "delete"];
        var rich = plain.Select((e, i) => e with
        {
            OccurredAt = start.AddTicks(i * 1_234L),
            Verb = verbs[i % verbs.Length],
            Details = ImmutableDictionary<string, string>.Empty.Add("sourceIP", $"10.0.{i % 7}.{i % 251}").Add("userAgent", "kubectl/v1.34.1 (linux/amd64)"),
        }).ToList();
        foreach (var (shape, records) in new[] { ("bench events", bench), ("named events", plain), ("rich events", rich) })
        {
            var best = Compressors.ToDictionary(c => c.Name, _ => (Cpu: double.MaxValue, Bytes: 0));
            for (var round = 0; round < 3; round++)
            {
                foreach (var (name, open) in Compressors)
                {
                    var bytes = 0;
                    var cpu = await CpuPerEventAsync(records.Count, () =>
                    {
                        for (var at = 0; at < records.Count; at += AuditChunkStore.MaxChunkEvents)
                        {
                            using var buffer = new MemoryStream();
                            using (var compressor = open(buffer))
                            {
                                AuditChunkWriter.Write(records.GetRange(at, Math.Min(AuditChunkStore.MaxChunkEvents, records.Count - at)), compressor);
                            }

                            bytes = at == 0 ? buffer.ToArray().Length : bytes; // ToArray, as the sink does (and a disposed MemoryStream has no Length)
                        }

                        return Task.CompletedTask;
                    });
                    best[name] = (Math.Min(best[name].Cpu, cpu), bytes);
                }
            }

            foreach (var (name, (cpu, bytes)) in best)
            {
                Console.WriteLine($"compressor {shape,-12} protobuf + {name,-16} {cpu,5:F2} us CPU/event, {bytes,9:N0} bytes per {AuditChunkStore.MaxChunkEvents:N0}-event chunk" +
                    (bytes > AuditChunkStore.MaxChunkBytes ? $" (over the {AuditChunkStore.MaxChunkBytes:N0}-byte chunk limit)" : ""));
            }
        }
    }

    private static readonly (string Name, Func<Stream, Stream> Open)[] Compressors =
    [
        ("gzip fastest", s => new GZipStream(s, CompressionLevel.Fastest, leaveOpen: true)),
        ("zlib fastest", s => new ZLibStream(s, CompressionLevel.Fastest, leaveOpen: true)),
        ("deflate fastest", s => new DeflateStream(s, CompressionLevel.Fastest, leaveOpen: true)),
        ("brotli quality 1", s => new BrotliStream(s, new BrotliCompressionOptions { Quality = 1 }, leaveOpen: true)),
        ("none", s => s), // MemoryStream keeps its bytes after disposal
        ("(writer alone)", _ => Stream.Null), // the protobuf writer's own share of the figures above
    ];

    private static async Task<double> CpuPerEventAsync(int events, Func<Task> work)
    {
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        await work();
        self.Refresh();
        return (self.TotalProcessorTime - cpu).TotalMicroseconds / events;
    }

    private static async Task Stage(string name, int events, Func<Task> work)
    {
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await work();
        clock.Stop();
        self.Refresh();
        Console.WriteLine($"stage      {name,-36} {events / clock.Elapsed.TotalSeconds,12:N0} events/s, {(self.TotalProcessorTime - cpu).TotalMicroseconds / events:F1} us CPU/event");
    }
}
