using System.Globalization;
using Conductor.Bench.Failover;
using Conductor.TestSupport.Network;

// One run: S management processes clustered on the real apiserver behind a TCP forwarder, N tenants streaming audit.
// Baseline first (a silo stopped gracefully, as a rolling update does), then the target (a silo SIGKILLed).
var settings = BenchSettings.Parse(args);
var cap = TimeSpan.FromSeconds(120);
// Longer than membership's detection of a dead silo, so a stall behind a grain that lived there shows.
var window = TimeSpan.FromSeconds(20);
var firstDelay = settings.ReconnectInitialDelay is { } initial ? $" but a first reconnect delay of {initial.TotalMilliseconds:F0} ms" : "";
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Failover benchmark: {Environment.ProcessorCount} cores, load {Load()}, {settings.Silos} management processes, " +
    $"{settings.Tenants} tenants x {settings.EventsPerSecond} audit events/s, heartbeats and reconnect backoff as in production{firstDelay}"));
await using var cluster = await BenchCluster.CreateAsync();
var silos = new List<ManagementProcess>();
var tenants = new List<BenchTenant>();
try
{
    // The first silo creates the membership table; the others join it.
    silos.Add(ManagementProcess.Start(settings, cluster, cluster.Server, "silo-1"));
    await silos[0].WaitReadyAsync();
    silos.AddRange(Enumerable.Range(2, settings.Silos - 1).Select(i => ManagementProcess.Start(settings, cluster, cluster.Server, $"silo-{i}")));
    await Task.WhenAll(silos.Select(s => s.WaitReadyAsync()));
    await using var forwarder = new TcpForwarder([.. silos.Select(s => s.FederationPort)]);

    using (var gate = new SemaphoreSlim(4))
    {
        tenants.AddRange(await Task.WhenAll(Enumerable.Range(0, settings.Tenants).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                return await BenchTenant.StartAsync(cluster, $"fail{i}-{Guid.NewGuid().ToString("N")[..6]}", forwarder.Endpoint, settings.ReconnectInitialDelay);
            }
            finally
            {
                gate.Release();
            }
        })));
    }

    await Until(() => tenants.All(t => t.Channel.Live is not null), cap, "every tenant's stream live");
    foreach (var tenant in tenants)
    {
        tenant.StartRecording(settings.EventsPerSecond, TimeProvider.System);
    }

    await Until(() => tenants.All(t => t.Wal.AckedSequence >= (ulong)settings.EventsPerSecond), cap, "audit acknowledged on every stream");
    Console.WriteLine($"ready      {Spread(silos, forwarder)}");

    // Baseline: the endpoint leaves the forwarder (a terminating pod leaves the Service), then SIGTERM drains.
    var drained = silos[0];
    var graceful = await FailoverObservation.WatchAsync(tenants, () =>
    {
        forwarder.Remove(drained.FederationPort);
        drained.Terminate();
    }, window, cap);
    await drained.WaitForExitAsync(cap);
    Report("graceful", drained, graceful);

    // The drained silo comes back as a new process (a new silo generation), so the kill has two survivors voting.
    await drained.DisposeAsync();
    silos[0] = ManagementProcess.Start(settings, cluster, cluster.Server, "silo-1b");
    await silos[0].WaitReadyAsync();
    forwarder.Add(silos[0].FederationPort);
    await Until(() => tenants.All(t => t.Channel.Live is not null), cap, "every tenant's stream live again");
    var acked = tenants.Select(t => t.Wal.AckedSequence).ToArray();
    await Until(() => tenants.Select((t, i) => t.Wal.AckedSequence > acked[i]).All(a => a), cap, "audit flowing again");
    Console.WriteLine($"restarted  {Spread(silos, forwarder)}");

    // Target: SIGKILL the silo holding the most streams; the forwarder finds out when it refuses a connection.
    var killed = silos.Where(s => !s.HasExited).MaxBy(s => forwarder.OpenConnections(s.FederationPort))!;
    var crash = await FailoverObservation.WatchAsync(tenants, killed.Kill, window, cap);
    Report("SIGKILL", killed, crash);

    foreach (var tenant in tenants)
    {
        await tenant.StopRecordingAsync();
    }

    await Until(() => tenants.All(t => t.Wal.AckedSequence == t.Wal.LastSequence), cap, "every recorded event acknowledged");
    var checks = await Task.WhenAll(tenants.Select(t => DeliveryCheck.OfAsync(cluster, t)));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"delivery   {checks.Sum(c => (long)c.Last):N0} events from {checks.Length} tenants: stored {checks.Sum(c => (long)c.Stored):N0}, " +
        $"lost {checks.Sum(c => c.Lost)}, duplicated {checks.Sum(c => c.Duplicated)}, wrong event under a sequence {checks.Sum(c => c.Mismatched)} (all must be 0)"));
    foreach (var bad in checks.Where(c => c.Lost + c.Duplicated + c.Mismatched > 0))
    {
        Console.WriteLine($"           {bad}");
    }

    Console.WriteLine($"load       {Load()} at the end; silo logs were in {cluster.Directory}");
    return checks.All(c => c.Lost + c.Duplicated + c.Mismatched == 0) ? 0 : 2;
}
finally
{
    foreach (var tenant in tenants)
    {
        await tenant.DisposeAsync();
    }

    foreach (var silo in silos)
    {
        await silo.DisposeAsync();
    }
}

static void Report(string label, ManagementProcess silo, FailoverObservation observation)
{
    var moved = observation.Moved.ToList();
    var stayed = observation.Outcomes.Where(o => !o.Cut).ToList();
    var unresolved = moved.Count(o => o.ResumedMs is null);
    Console.WriteLine($"{label,-10} {silo.Name} stopped; {moved.Count} tenants were on it, {stayed.Count} on the others");
    Console.WriteLine($"           reconnect (new live stream)        {Percentiles.Of(moved.Select(o => o.ReconnectedMs ?? double.NaN).Where(double.IsFinite))}");
    Console.WriteLine($"           resume (first ack after the stop)   {Percentiles.Of(moved.Select(o => o.ResumedMs ?? double.NaN).Where(double.IsFinite))}");
    Console.WriteLine($"           longest without an ack, moved       {Percentiles.Of(moved.Select(o => o.LongestWithoutAckMs))}");
    Console.WriteLine($"           longest without an ack, others      {Percentiles.Of(stayed.Select(o => o.LongestWithoutAckMs))}");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"           every tenant acked again within {observation.Outcomes.Max(o => o.LongestWithoutAckMs):F0} ms of the stop or its previous ack (target 10 000); " +
        $"moved tenants not resumed {unresolved}; that lost a new stream again {moved.Count(o => o.NewSessions > 1)}"));
}

static string Spread(List<ManagementProcess> silos, TcpForwarder forwarder) =>
    "streams per silo: " + string.Join(", ", silos.Select(s => $"{s.Name} {forwarder.OpenConnections(s.FederationPort)}"));

static async Task Until(Func<bool> condition, TimeSpan cap, string what)
{
    using var timeout = new CancellationTokenSource(cap);
    while (!condition())
    {
        await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token).ContinueWith(t => t.IsCanceled
            ? throw new TimeoutException($"waited {cap.TotalSeconds:F0} s for {what}") : t, TaskScheduler.Default);
    }
}

static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
