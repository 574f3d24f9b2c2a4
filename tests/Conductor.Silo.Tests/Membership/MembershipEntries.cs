using System.Net;
using Orleans;
using Orleans.Runtime;

namespace Conductor.Silo.Tests.Membership;

/// <summary>Membership rows for tests: distinct silo generations, second-resolution times (as Orleans' own table tests).</summary>
internal static class MembershipEntries
{
    private static int _generation = Environment.TickCount & 0xFFFFFF;

    public static SiloAddress NewSilo() => SiloAddress.New(IPAddress.Loopback, 12345, Interlocked.Increment(ref _generation));

    public static MembershipEntry New(SiloStatus status = SiloStatus.Joining)
    {
        var silo = NewSilo();
        var now = Now();
        return new MembershipEntry
        {
            SiloAddress = silo,
            HostName = "test-host",
            SiloName = $"silo-{silo.Generation}",
            Status = status,
            ProxyPort = 30000,
            StartTime = now,
            IAmAliveTime = now,
        };
    }

    public static DateTime Now()
    {
        var now = DateTime.UtcNow;
        return new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, DateTimeKind.Utc);
    }
}
