using System.Threading.Channels;
using Conductor.Federation.Protocol;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Conductor.Silo.Federation.Protocol;

/// <summary>
/// The one writer of a federation stream: gRPC allows a single write at a time, and replies, heartbeats, acks and
/// pushes come from several tasks. Everything is queued here; one pump stamps sequence, cluster id and time and
/// writes in order. Dispose completes the queue and waits for the pump, so nothing writes after the call ends.
/// </summary>
public sealed class EnvelopeOutbox(IAsyncStreamWriter<Envelope> stream, string clusterId, TimeProvider time, CancellationToken cancellation)
    : EnvelopeOutbox<Envelope>(stream, static e => e, clusterId, time, cancellation);

/// <summary>
/// <see cref="EnvelopeOutbox"/> for a stream whose messages wrap an <see cref="Envelope"/> header (the tenant writes
/// audit batches pre-encoded); <c>header</c> gives the envelope the pump stamps.
/// </summary>
public class EnvelopeOutbox<TMessage> : IAsyncDisposable
    where TMessage : class
{
    /// <summary>Queued envelopes per stream before senders wait: bounds memory per stream.</summary>
    public const int Capacity = 256;

    private readonly Channel<TMessage> _queue =
        Channel.CreateBounded<TMessage>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly IAsyncStreamWriter<TMessage> _stream;
    private readonly Func<TMessage, Envelope> _header;
    private readonly string _clusterId;
    private readonly TimeProvider _time;
    private readonly CancellationToken _cancellation;
    private readonly Task _pump;
    private ulong _sent;

    public EnvelopeOutbox(IAsyncStreamWriter<TMessage> stream, Func<TMessage, Envelope> header, string clusterId, TimeProvider time, CancellationToken cancellation)
    {
        (_stream, _header, _clusterId, _time, _cancellation) = (stream, header, clusterId, time, cancellation);
        _pump = Task.Run(PumpAsync, CancellationToken.None);
    }

    /// <summary>Completes when the write failed or the stream ended; the reader side stops then too.</summary>
    public Task Completion => _pump;

    /// <summary>Queues an envelope; waits while the queue is full; throws once the stream is over.</summary>
    public async ValueTask SendAsync(TMessage envelope, CancellationToken cancellationToken = default)
    {
        try
        {
            await _queue.Writer.WriteAsync(envelope, cancellationToken);
        }
        catch (ChannelClosedException e)
        {
            throw new InvalidOperationException($"The federation stream of cluster {_clusterId} has ended", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _pump;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or RpcException)
        {
            // The stream broke; the caller already knows from its own read.
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(_cancellation))
            {
                var envelope = _header(message);
                envelope.Sequence = ++_sent;
                envelope.ClusterId = _clusterId;
                envelope.Timestamp = Timestamp.FromDateTimeOffset(_time.GetUtcNow());
                await _stream.WriteAsync(message, _cancellation);
            }
        }
        finally
        {
            _queue.Writer.TryComplete();
        }
    }
}
