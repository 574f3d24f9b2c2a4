using System.Collections.Concurrent;
using Conductor.Silo.Membership;
using Orleans;
using Orleans.Runtime;

namespace Conductor.Silo.Tests.Membership;

/// <summary>
/// The Kubernetes membership table as one in-process test silo sees it, with a switch that cuts the silo off.
/// A crashed process writes nothing, but an in-process "kill" still lets the silo record itself Dead (and gossip
/// it) on the way down. Once severed, every table call of that silo hangs until its shutdown cancels it, so only the
/// survivors' probes and votes can declare it dead. (Acknowledging and dropping the writes instead is wrong: the
/// silo then gossips a table version that never existed.)
/// </summary>
internal sealed class SeverableMembershipTable(KubernetesMembershipTable table, ILocalSiloDetails silo) : IMembershipTable
{
    private static readonly ConcurrentDictionary<SiloAddress, bool> Severed = new();

    public static void Sever(SiloAddress silo) => Severed[silo] = true;

    public Task InitializeMembershipTable(bool tryInitTableVersion) => InitializeMembershipTableAsync(tryInitTableVersion, CancellationToken.None);

    public Task InitializeMembershipTableAsync(bool tryInitTableVersion, CancellationToken cancellationToken) =>
        Guard(() => table.InitializeMembershipTableAsync(tryInitTableVersion, cancellationToken), cancellationToken);

    public Task DeleteMembershipTableEntries(string clusterId) => DeleteMembershipTableEntriesAsync(clusterId, CancellationToken.None);

    public Task DeleteMembershipTableEntriesAsync(string clusterId, CancellationToken cancellationToken) =>
        Guard(() => table.DeleteMembershipTableEntriesAsync(clusterId, cancellationToken), cancellationToken);

    public Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate) => CleanupDefunctSiloEntriesAsync(beforeDate, CancellationToken.None);

    public Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken) =>
        Guard(() => table.CleanupDefunctSiloEntriesAsync(beforeDate, cancellationToken), cancellationToken);

    public Task<MembershipTableData> ReadRow(SiloAddress key) => ReadRowAsync(key, CancellationToken.None);

    public Task<MembershipTableData> ReadRowAsync(SiloAddress key, CancellationToken cancellationToken) =>
        Guard(() => table.ReadRowAsync(key, cancellationToken), cancellationToken);

    public Task<MembershipTableData> ReadAll() => ReadAllAsync(CancellationToken.None);

    public Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken) => Guard(() => table.ReadAllAsync(cancellationToken), cancellationToken);

    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) => InsertRowAsync(entry, tableVersion, CancellationToken.None);

    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion tableVersion, CancellationToken cancellationToken) =>
        Guard(() => table.InsertRowAsync(entry, tableVersion, cancellationToken), cancellationToken);

    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) => UpdateRowAsync(entry, etag, tableVersion, CancellationToken.None);

    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion tableVersion, CancellationToken cancellationToken) =>
        Guard(() => table.UpdateRowAsync(entry, etag, tableVersion, cancellationToken), cancellationToken);

    public Task UpdateIAmAlive(MembershipEntry entry) => UpdateIAmAliveAsync(entry, CancellationToken.None);

    public Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken cancellationToken) =>
        Guard(() => table.UpdateIAmAliveAsync(entry, cancellationToken), cancellationToken);

    private async Task<T> Guard<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        await HangIfSeveredAsync(cancellationToken);
        return await call();
    }

    private async Task Guard(Func<Task> call, CancellationToken cancellationToken)
    {
        await HangIfSeveredAsync(cancellationToken);
        await call();
    }

    private async Task HangIfSeveredAsync(CancellationToken cancellationToken)
    {
        if (Severed.ContainsKey(silo.SiloAddress))
        {
            await new TaskCompletionSource().Task.WaitAsync(cancellationToken);
        }
    }
}
