using System.Collections.Concurrent;
using Conductor.Federation.Protocol;
using Grpc.Core;

namespace Conductor.Bench.Federation;

/// <summary>
/// The child process of the fleet measurements: many simulated tenants, one HTTP/2 connection and stream each,
/// heartbeating and acknowledging management's heartbeats, recording how long each RevocationPush took to arrive.
/// Protocol on stdout/stdin: prints <c>READY n</c> once every stream heard from management; on <c>REPORT</c> prints
/// <c>LAT ms</c> per push received; exits on <c>EXIT</c>.
/// </summary>
public static class SimulatedTenants
{
    public static async Task<int> RunAsync(string endpoint, string certificates, string caPath, string prefix, int count, TimeSpan heartBeat)
    {
        var latencies = new ConcurrentQueue<double>();
        using var stop = new CancellationTokenSource();
        var ready = 0;
        var allReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var gate = new SemaphoreSlim(32);
        var tenants = Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            var channel = BenchPki.Channel(endpoint, Path.Combine(certificates, i == 0 ? "client.crt" : $"{prefix}{i}.crt"),
                Path.Combine(certificates, i == 0 ? "client.key" : $"{prefix}{i}.key"), caPath);
            var call = new Conductor.Federation.Protocol.Federation.FederationClient(channel).Connect(cancellationToken: stop.Token);
            var writeLock = new SemaphoreSlim(1, 1);
            async Task SendAsync(Envelope envelope)
            {
                await writeLock.WaitAsync();
                try
                {
                    await call.RequestStream.WriteAsync(envelope);
                }
                finally
                {
                    writeLock.Release();
                }
            }

            await SendAsync(new Envelope { Type = MessageType.HeartBeat, HeartBeat = new HeartBeat() });
            var heard = false;
            var beats = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(heartBeat);
                while (await timer.WaitForNextTickAsync(stop.Token))
                {
                    await SendAsync(new Envelope { Type = MessageType.HeartBeat, HeartBeat = new HeartBeat() });
                }
            });
            try
            {
                await foreach (var envelope in call.ResponseStream.ReadAllAsync(stop.Token))
                {
                    if (!heard)
                    {
                        heard = true;
                        gate.Release();
                        if (Interlocked.Increment(ref ready) == count)
                        {
                            allReady.TrySetResult();
                        }
                    }

                    if (envelope.PayloadCase == Envelope.PayloadOneofCase.HeartBeat && !envelope.HeartBeat.IsAck)
                    {
                        await SendAsync(new Envelope { Type = MessageType.HeartBeat, HeartBeat = new HeartBeat { IsAck = true, AckedSequence = envelope.Sequence } });
                    }
                    else if (envelope.PayloadCase == Envelope.PayloadOneofCase.RevocationPush)
                    {
                        latencies.Enqueue((DateTimeOffset.UtcNow - envelope.RevocationPush.RevokedAt.ToDateTimeOffset()).TotalMilliseconds);
                    }
                }
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
            }

            await beats.ContinueWith(_ => { }, TaskScheduler.Default);
            channel.Dispose();
        }).ToList();

        await allReady.Task.WaitAsync(TimeSpan.FromMinutes(5));
        Console.WriteLine($"READY {count}");
        while (Console.ReadLine() is { } command)
        {
            if (command == "REPORT")
            {
                foreach (var latency in latencies)
                {
                    Console.WriteLine($"LAT {latency:F3}");
                }

                Console.WriteLine("END");
            }
            else if (command == "EXIT")
            {
                break;
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(tenants).WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        return 0;
    }
}
