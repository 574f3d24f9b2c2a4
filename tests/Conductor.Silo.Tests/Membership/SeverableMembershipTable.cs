using System.Collections.Concurrent;
using Conductor.Silo.Membership;
using Orleans;
using Orleans.Runtime;

namespace Conductor.Silo.Tests.Membership;

/// <summary>
/// The Kubernetes membership table as one in-process test silo sees it, with a switch that drops the silo's writes.
/// A crashed process writes nothing, but an in-process "kill" still lets the silo record itself Dead on the way down.
/// Once severed, the silo's writes are acknowledged and lost (reads still pass), so it shuts down promptly and only
/// the survivors' probes and votes can declare it dead.
/// </summary>
internal sealed class SeverableMembershipTable(KubernetesMembershipTable table, ILocalSiloDetails silo) : IMembershipTable
{
    private static readonly ConcurrentDictionary<SiloAddress, bool> Severed = new();

    public static void Sever(SiloAddress silo) => Severed[silo] = true;

    private bool IsSevered => Severed.ContainsKey(silo.SiloAddress);

    public Task InitializeMembershipTable(bool tryInitTableVersion) => table.InitializeMembershipTable(tryInitTableVersion);

    public Task DeleteMembershipTableEntries(string clusterId) => IsSevered ? Task.CompletedTask : table.DeleteMembershipTableEntries(clusterId);

    public Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate) => IsSevered ? Task.CompletedTask : table.CleanupDefunctSiloEntries(beforeDate);

    public Task<MembershipTableData> ReadRow(SiloAddress key) => table.ReadRow(key);

    public Task<MembershipTableData> ReadAll() => table.ReadAll();

    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) => IsSevered ? Task.FromResult(true) : table.InsertRow(entry, tableVersion);

    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) =>
        IsSevered ? Task.FromResult(true) : table.UpdateRow(entry, etag, tableVersion);

    public Task UpdateIAmAlive(MembershipEntry entry) => IsSevered ? Task.CompletedTask : table.UpdateIAmAlive(entry);
}
