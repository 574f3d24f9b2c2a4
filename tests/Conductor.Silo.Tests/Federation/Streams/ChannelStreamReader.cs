using System.Threading.Channels;
using Grpc.Core;

namespace Conductor.Silo.Tests.Federation.Streams;

/// <summary>One side of a federation stream played in memory: what a test writes to the channel is what the code under test reads.</summary>
internal sealed class ChannelStreamReader<T>(ChannelReader<T> reader, T initial) : IAsyncStreamReader<T>
{
    public T Current { get; private set; } = initial;

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        if (!await reader.WaitToReadAsync(cancellationToken))
        {
            return false;
        }

        Current = await reader.ReadAsync(cancellationToken);
        return true;
    }
}
