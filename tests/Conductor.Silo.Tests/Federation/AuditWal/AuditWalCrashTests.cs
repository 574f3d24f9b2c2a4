using System.Text;
using Conductor.Silo.Federation.AuditWal;
using Conductor.TestSupport.Logging;

namespace Conductor.Silo.Tests.Federation.AuditWal;

public sealed class AuditWalCrashTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("conductor-wal-crash-").FullName;

    [Fact]
    public async Task Open_AfterAppendingProcessIsKilled_HasEveryAppendReportedDurable()
    {
        var ct = TestContext.Current.CancellationToken;
        var reported = new Dictionary<ulong, string>();
        using (var child = AuditWalChildProcess.Start(_dir))
        {
            try
            {
                using var cap = CancellationTokenSource.CreateLinkedTokenSource(ct);
                cap.CancelAfter(TimeSpan.FromSeconds(60));
                while (reported.Count < 2000 && await child.StandardOutput.ReadLineAsync(cap.Token) is { } line)
                {
                    var space = line.IndexOf(' ', StringComparison.Ordinal);
                    reported[ulong.Parse(line.AsSpan(0, space), System.Globalization.CultureInfo.InvariantCulture)] = line[(space + 1)..];
                }
            }
            finally
            {
                child.Kill(entireProcessTree: true); // SIGKILL mid-append: no disposal, no final flush
                await child.WaitForExitAsync(ct);
            }
        }

        var logs = new RecordingLoggerProvider();
        await using var wal = Silo.Federation.AuditWal.AuditWal.Open(
            new AuditWalOptions { Path = _dir }, logs.CreateLogger<Silo.Federation.AuditWal.AuditWal>());
        var recovered = new Dictionary<ulong, string>();
        await foreach (var record in wal.ReadAsync(0, ct))
        {
            recovered[record.Sequence] = Encoding.UTF8.GetString(record.Payload.Span);
        }

        Assert.True(reported.Count >= 2000, $"the child reported only {reported.Count} durable appends");
        foreach (var (sequence, payload) in reported)
        {
            Assert.True(recovered.TryGetValue(sequence, out var found), $"durable sequence {sequence} was lost");
            Assert.Equal(payload, found);
        }

        // Recovery keeps a contiguous run from 1 and appends continue right after it.
        Assert.Equal(Enumerable.Range(1, recovered.Count).Select(i => (ulong)i), recovered.Keys.Order());
        Assert.Equal((ulong)recovered.Count + 1, await wal.AppendAsync(Encoding.UTF8.GetBytes("after-crash"), ct));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
