using System.Diagnostics;
using Conductor.Federation;
using Conductor.Federation.Protocol;
using Conductor.Grains.Federation.Storage;
using Conductor.Silo.Federation.AuditWal;
using Conductor.Silo.Federation.Protocol;
using Conductor.Silo.Tenant.Federation;
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

        await Stage("sink chunk encoding (JSON + gzip)", records.Count, () =>
        {
            for (var at = 0; at < records.Count; at += AuditChunkStore.MaxChunkEvents)
            {
                AuditChunking.FirstChunk(records.GetRange(at, Math.Min(AuditChunkStore.MaxChunkEvents, records.Count - at)));
            }

            return Task.CompletedTask;
        });
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
