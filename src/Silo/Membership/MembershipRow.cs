using System.Globalization;
using System.Text.Json.Serialization;
using Orleans.Runtime;

namespace Conductor.Silo.Membership;

/// <summary>
/// One silo's row as stored in the membership ConfigMap: the Orleans <see cref="MembershipEntry"/> in a stable JSON
/// shape, plus the row etag. The etag changes only on InsertRow/UpdateRow, never on an IAmAlive heartbeat, so a
/// heartbeat does not invalidate an etag another silo has just read (the 10.x IMembershipTable contract).
/// </summary>
internal sealed record MembershipRow(
    [property: JsonPropertyName("siloAddress")] string SiloAddress,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("suspectTimes")] IReadOnlyList<SuspectVote>? SuspectTimes,
    [property: JsonPropertyName("proxyPort")] int ProxyPort,
    [property: JsonPropertyName("hostName")] string? HostName,
    [property: JsonPropertyName("siloName")] string? SiloName,
    [property: JsonPropertyName("roleName")] string? RoleName,
    [property: JsonPropertyName("updateZone")] int UpdateZone,
    [property: JsonPropertyName("faultZone")] int FaultZone,
    [property: JsonPropertyName("startTime")] DateTime StartTime,
    [property: JsonPropertyName("iAmAliveTime")] DateTime IAmAliveTime,
    [property: JsonPropertyName("etag")] string ETag)
{
    /// <summary>The ConfigMap data key of a silo's row. Keys allow only <c>[-._a-zA-Z0-9]</c>, so ':' in IPv6 becomes '_'.</summary>
    public static string KeyOf(SiloAddress silo) =>
        string.Create(CultureInfo.InvariantCulture,
            $"silo-{silo.Endpoint.Address.ToString().Replace(':', '_')}-{silo.Endpoint.Port}-{silo.Generation}");

    public static MembershipRow From(MembershipEntry entry, string etag) => new(
        entry.SiloAddress.ToParsableString(),
        entry.Status.ToString(),
        entry.SuspectTimes?.Select(vote => new SuspectVote(vote.Item1.ToParsableString(), vote.Item2)).ToList(),
        entry.ProxyPort,
        entry.HostName,
        entry.SiloName,
        entry.RoleName,
        entry.UpdateZone,
        entry.FaultZone,
        entry.StartTime,
        entry.IAmAliveTime,
        etag);

    /// <summary>
    /// The last time anything was known of the silo: start, heartbeat or a suspicion vote (a death declaration is one).
    /// Cleanup keeps a dead row until this is older than its cutoff, so a recent death stays visible.
    /// </summary>
    public DateTime LastUpdate => new[] { StartTime, IAmAliveTime }
        .Concat(SuspectTimes?.Select(vote => vote.Time) ?? [])
        .Max();

    public MembershipEntry ToEntry() => new()
    {
        SiloAddress = Orleans.Runtime.SiloAddress.FromParsableString(SiloAddress),
        Status = Enum.Parse<SiloStatus>(Status),
        SuspectTimes = SuspectTimes?.Select(vote => Tuple.Create(Orleans.Runtime.SiloAddress.FromParsableString(vote.Silo), vote.Time)).ToList(),
        ProxyPort = ProxyPort,
        HostName = HostName ?? string.Empty,
        SiloName = SiloName ?? string.Empty,
        RoleName = RoleName,
        UpdateZone = UpdateZone,
        FaultZone = FaultZone,
        StartTime = StartTime,
        IAmAliveTime = IAmAliveTime,
    };
}

/// <summary>A suspicion vote: which silo suspected this one, and when.</summary>
internal sealed record SuspectVote(
    [property: JsonPropertyName("silo")] string Silo,
    [property: JsonPropertyName("time")] DateTime Time);
