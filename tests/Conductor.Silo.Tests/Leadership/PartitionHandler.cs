namespace Conductor.Silo.Tests.Leadership;

/// <summary>
/// Cuts one replica off from its Lease, the way a network partition does: while partitioned, requests for leases
/// hang until cancelled. Every other request still reaches the API server, so only the guard can stop a write.
/// </summary>
internal sealed class PartitionHandler : DelegatingHandler
{
    private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _partitioned;

    /// <summary>Completes when the first Lease request is held by the partition.</summary>
    public Task Stalled => _stalled.Task;

    public void Partition() => _partitioned = true;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_partitioned && request.RequestUri?.AbsolutePath.Contains("/leases", StringComparison.Ordinal) == true)
        {
            _stalled.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        return await base.SendAsync(request, cancellationToken);
    }
}
