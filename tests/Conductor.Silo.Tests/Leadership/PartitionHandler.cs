namespace Conductor.Silo.Tests.Leadership;

/// <summary>
/// Cuts one replica off from its Lease, the way a network partition does: while partitioned, requests for leases
/// hang until cancelled. Every other request still reaches the API server, so only the guard can stop a write.
/// </summary>
internal sealed class PartitionHandler : DelegatingHandler
{
    private volatile bool _partitioned;

    public void Partition() => _partitioned = true;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_partitioned && request.RequestUri?.AbsolutePath.Contains("/leases", StringComparison.Ordinal) == true)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        return await base.SendAsync(request, cancellationToken);
    }
}
