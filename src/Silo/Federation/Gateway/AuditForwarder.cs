using System.Collections.Immutable;
using System.Threading.Channels;
using Conductor.Federation;
using Conductor.Federation.Protocol;
using Conductor.Grains.Federation.Storage;
using Conductor.Silo.Federation.Protocol;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// Hands one stream's audit batches to the replica's audit sink without holding up the stream's reader: batches
/// that arrive while a store is in flight are merged into the next store call (up to one chunk), because every
/// store is at least one apiserver write and fewer, fuller chunks cost far less per event. A second store is issued
/// while one is in flight only once a full chunk is waiting, so the sink starts it without waiting for the gateway
/// to see the first one's answer. Answers are taken in the order the stores were issued, and each is acknowledged
/// as the highest mark seen so far: the sink only ever returns its highest contiguous stored sequence, so nothing
/// unstored is acknowledged. A store the sink ran before its predecessor (grain calls are not ordered) stored
/// nothing past the gap; it is issued again once its predecessor has answered, and the dedupe makes that a no-op
/// for whatever is already stored.
/// </summary>
internal sealed class AuditForwarder : IAsyncDisposable
{
    /// <summary>Batches waiting per stream before the reader waits too.</summary>
    private const int Capacity = 64;

    /// <summary>Store calls in flight per stream.</summary>
    internal const int MaxInFlight = 2;

    private readonly Channel<AuditRecord[]> _queue =
        Channel.CreateBounded<AuditRecord[]>(new BoundedChannelOptions(Capacity) { SingleReader = false, FullMode = BoundedChannelFullMode.Wait });
    private readonly Func<AuditBatch, Task<ulong>> _store;
    private readonly EnvelopeOutbox _outbox;
    private readonly CancellationTokenSource _failed;
    private readonly Task _pump;
    private int _queuedEvents;
    private TaskCompletionSource _chunkWaiting = NewSignal();

    /// <param name="store">The sink grain's store call (retried by the caller while membership settles).</param>
    public AuditForwarder(Func<AuditBatch, Task<ulong>> store, EnvelopeOutbox outbox, CancellationTokenSource failed)
    {
        (_store, _outbox, _failed) = (store, outbox, failed);
        _pump = Task.Run(PumpAsync, CancellationToken.None);
    }

    /// <summary>The store failure that ended the stream, if one did.</summary>
    public Exception? Failure { get; private set; }

    /// <param name="events">One envelope's events, already mapped on the stream's reader, so the pump only concatenates.</param>
    public async ValueTask EnqueueAsync(AuditRecord[] events, CancellationToken cancellationToken)
    {
        await _queue.Writer.WriteAsync(events, cancellationToken);
        if (Interlocked.Add(ref _queuedEvents, events.Length) >= AuditChunkStore.MaxChunkEvents)
        {
            Volatile.Read(ref _chunkWaiting).TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _pump;
    }

    private async Task PumpAsync()
    {
        var inFlight = new Queue<(AuditBatch Batch, Task<ulong> Stored)>(MaxInFlight);
        ulong acknowledged = 0;
        try
        {
            while (true)
            {
                if ((inFlight.Count == 0 || (inFlight.Count < MaxInFlight && FullChunkWaiting)) && NextBatch() is { } batch)
                {
                    inFlight.Enqueue((batch, _store(batch)));
                    continue;
                }

                if (inFlight.Count == 0)
                {
                    if (!await _queue.Reader.WaitToReadAsync(_failed.Token))
                    {
                        return;
                    }

                    continue;
                }

                if (inFlight.Count < MaxInFlight)
                {
                    // Room for another store: start it once a full chunk waits, or take the oldest answer first.
                    var chunkWaiting = NewSignal();
                    Interlocked.Exchange(ref _chunkWaiting, chunkWaiting);
                    if (FullChunkWaiting)
                    {
                        continue;
                    }

                    var oldest = inFlight.Peek().Stored;
                    if (await Task.WhenAny(oldest, chunkWaiting.Task).WaitAsync(_failed.Token) != oldest)
                    {
                        continue;
                    }
                }

                var (stored, answer) = inFlight.Dequeue();
                var mark = await answer;
                if (mark < stored.Events[^1].Sequence)
                {
                    mark = Math.Max(mark, await _store(stored));
                }

                if (mark > acknowledged)
                {
                    acknowledged = mark;
                    await _outbox.SendAsync(FederationMapping.AuditAck(mark), _failed.Token);
                }
            }
        }
        catch (OperationCanceledException) when (_failed.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Nothing past the last ack is lost: the tenant replays it on its next stream.
            Failure = e;
            await _failed.CancelAsync();
        }
        finally
        {
            // Stores still in flight finish or fail on their own; the replay covers whatever they did not store.
            foreach (var (_, answer) in inFlight)
            {
                _ = answer.ContinueWith(t => t.Exception, TaskScheduler.Default);
            }
        }
    }

    private bool FullChunkWaiting => Volatile.Read(ref _queuedEvents) >= AuditChunkStore.MaxChunkEvents;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AuditBatch? NextBatch()
    {
        // Sized for what is queued, so a chunk's array is allocated once rather than grown (it is a large object).
        var events = ImmutableArray.CreateBuilder<AuditRecord>(Math.Clamp(Volatile.Read(ref _queuedEvents), 1, AuditChunkStore.MaxChunkEvents));
        while (events.Count < AuditChunkStore.MaxChunkEvents && _queue.Reader.TryRead(out var batch))
        {
            events.AddRange(batch);
        }

        Interlocked.Add(ref _queuedEvents, -events.Count);
        return events.Count == 0 ? null : new AuditBatch(events.DrainToImmutable());
    }
}
