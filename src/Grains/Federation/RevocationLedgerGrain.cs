using System.Collections.Immutable;
using Conductor.Federation;
using Conductor.Grains.Federation.Storage;
using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Conductor.Grains.Federation;

/// <summary>
/// Groups revocations into journal writes: while one write is in flight, every revocation that arrives joins the
/// next, so a burst for 1 000 clusters costs two writes and each caller waits only for the write holding its own
/// notice. Reentrant so that arrivals can join while a write is awaited; all state changes happen between awaits.
/// The journal is read on activation; memory is only its index. Keeps the newest
/// <see cref="MaxEntriesPerCluster"/> per cluster, and compacts the journal once it has more than
/// <see cref="CompactAbovePages"/> pages.
/// </summary>
[Reentrant]
public sealed partial class RevocationLedgerGrain(IKubernetes kube, IOptions<FederationGrainOptions> options, ILogger<RevocationLedgerGrain> logger)
    : Grain, IRevocationLedgerGrain
{
    public const int MaxEntriesPerCluster = 1000;
    public const int CompactAbovePages = 64;

    private readonly Dictionary<string, List<RevocationNotice>> _byCluster = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task> _inFlight = new(StringComparer.Ordinal);
    private readonly HashSet<string> _recorded = new(StringComparer.Ordinal);
    private List<string> _pages = [];
    private List<(RevocationNotice Notice, TaskCompletionSource Stored)> _waiting = [];
    private Task? _writer;
    private RevocationJournal _journal = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _journal = new RevocationJournal(kube, options.Value.StoreNamespace);
        foreach (var (name, notices) in await _journal.ReadAllAsync(cancellationToken))
        {
            _pages.Add(name);
            Index(notices);
        }
    }

    public Task<ImmutableArray<RevocationNotice>> ListAsync(string clusterId) =>
        Task.FromResult(_byCluster.TryGetValue(clusterId, out var notices) ? notices.ToImmutableArray() : []);

    public async Task<bool> RecordAsync(RevocationNotice notice)
    {
        if (_recorded.Contains(notice.RevocationId))
        {
            return false;
        }

        if (_inFlight.TryGetValue(notice.RevocationId, out var pending))
        {
            await pending; // the same revocation seen twice (a relist) while its write is under way
            return false;
        }

        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Add((notice, stored));
        _inFlight[notice.RevocationId] = stored.Task;
        if (_writer is not { IsCompleted: false })
        {
            _writer = WriteLoopAsync();
        }

        await stored.Task;
        return true;
    }

    private async Task WriteLoopAsync()
    {
        do
        {
            await WriteWaitingAsync();
            if (_pages.Count > CompactAbovePages)
            {
                await CompactAsync();
            }
        }
        while (_waiting.Count > 0); // arrivals during a compaction found this loop running

        _writer = null;
    }

    private async Task WriteWaitingAsync()
    {
        while (_waiting.Count > 0)
        {
            var batch = _waiting;
            _waiting = [];
            try
            {
                _pages.AddRange(await _journal.AppendAsync([.. batch.Select(b => b.Notice)], CancellationToken.None));
                Index(batch.Select(b => b.Notice));
                LogRecorded(logger, batch.Count, _pages.Count);
                foreach (var (_, stored) in batch)
                {
                    stored.TrySetResult();
                }
            }
            catch (Exception e)
            {
                // The watch hands the revocation over again after its backoff; nothing was acknowledged.
                foreach (var (_, stored) in batch)
                {
                    stored.TrySetException(new InvalidOperationException(
                        $"Could not record {batch.Count} revocations in the journal in namespace {options.Value.StoreNamespace}: {e.Message}", e));
                }
            }
            finally
            {
                foreach (var (notice, _) in batch)
                {
                    _inFlight.Remove(notice.RevocationId);
                }
            }
        }
    }

    private async Task CompactAsync()
    {
        var pages = _pages;
        try
        {
            var retained = _byCluster.Values.SelectMany(n => n).OrderBy(n => n.RevokedAt).ToList();
            _pages = [.. await _journal.CompactAsync(pages, retained, CancellationToken.None)];
            LogCompacted(logger, pages.Count, _pages.Count, retained.Count);
        }
        catch (Exception e)
        {
            LogCompactFailed(logger, e, pages.Count); // retried after the next write; the pages stay valid
        }
    }

    private void Index(IEnumerable<RevocationNotice> notices)
    {
        foreach (var notice in notices)
        {
            if (!_recorded.Add(notice.RevocationId))
            {
                continue;
            }

            if (!_byCluster.TryGetValue(notice.ClusterId, out var list))
            {
                _byCluster[notice.ClusterId] = list = [];
            }

            list.Add(notice);
            if (list.Count > MaxEntriesPerCluster)
            {
                _recorded.Remove(list[0].RevocationId);
                list.RemoveAt(0);
            }
        }
    }

    [LoggerMessage(EventId = 3111, Level = LogLevel.Debug, Message = "Recorded {Count} revocations in one journal write ({Pages} pages)")]
    private static partial void LogRecorded(ILogger logger, int count, int pages);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Information, Message = "Compacted the revocation journal from {Before} pages to {After} ({Retained} revocations kept)")]
    private static partial void LogCompacted(ILogger logger, int before, int after, int retained);

    [LoggerMessage(EventId = 3113, Level = LogLevel.Warning, Message = "Could not compact the revocation journal ({Pages} pages); retrying after the next write")]
    private static partial void LogCompactFailed(ILogger logger, Exception exception, int pages);
}
