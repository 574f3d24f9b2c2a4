using System.Collections.Immutable;
using System.Threading.Channels;
using Conductor.Federation;
using Conductor.Federation.Protocol;
using Conductor.Grains.Federation.Storage;
using Conductor.Silo.Federation.Protocol;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// Hands one stream's audit batches to the cluster's audit sink without holding up the stream's reader: batches
/// that arrive while a store is in flight are merged into the next store call (up to one chunk), and each store
/// is followed by one acknowledgement of the high-water mark it returned. Storing stays strictly in order.
/// </summary>
internal sealed class AuditForwarder : IAsyncDisposable
{
    /// <summary>Batches waiting per stream before the reader waits too.</summary>
    private const int Capacity = 64;

    private readonly Channel<AuditEventBatch> _queue =
        Channel.CreateBounded<AuditEventBatch>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly IAuditSinkGrain _sink;
    private readonly EnvelopeOutbox _outbox;
    private readonly CancellationTokenSource _failed;
    private readonly Task _pump;

    public AuditForwarder(IAuditSinkGrain sink, EnvelopeOutbox outbox, CancellationTokenSource failed)
    {
        (_sink, _outbox, _failed) = (sink, outbox, failed);
        _pump = Task.Run(PumpAsync, CancellationToken.None);
    }

    /// <summary>The store failure that ended the stream, if one did.</summary>
    public Exception? Failure { get; private set; }

    public ValueTask EnqueueAsync(AuditEventBatch batch, CancellationToken cancellationToken) => _queue.Writer.WriteAsync(batch, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _pump;
    }

    private async Task PumpAsync()
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_failed.Token))
            {
                var events = ImmutableArray.CreateBuilder<AuditRecord>();
                while (events.Count < AuditChunkStore.MaxChunkEvents && _queue.Reader.TryRead(out var batch))
                {
                    events.AddRange(batch.Events.Select(FederationMapping.ToDomain));
                }

                var stored = await _sink.StoreAsync(new AuditBatch(events.ToImmutable()));
                await _outbox.SendAsync(FederationMapping.AuditAck(stored), _failed.Token);
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
    }
}
