using System.Diagnostics;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Conductor.Federation.Protocol;
using Conductor.Silo.Federation.Protocol;
using Grpc.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Conductor.Bench.Federation;

/// <summary>
/// The baseline: a bare Grpc.AspNetCore bidirectional stream that echoes every envelope, on the same Kestrel,
/// HTTP/2, TLS 1.3 and mTLS setup, carrying the same audit events. No grains, no Kubernetes, no WAL. Two shapes,
/// one per audit shape: the burst (500-event batches written as fast as the stream takes them) and the round trip
/// (callers on one stream, each sending one event and awaiting its echo before the next).
/// </summary>
public static class EchoBaseline
{
    public static async Task<double> EventsPerSecondAsync(BenchPki pki, int batches, int eventsPerBatch)
    {
        await using var stream = await EchoStream.OpenAsync(pki);
        var call = stream.Call;
        var batch = AuditBatches.Make(1, eventsPerBatch);
        var received = 0L;
        var reader = Task.Run(async () =>
        {
            await foreach (var envelope in call.ResponseStream.ReadAllAsync())
            {
                if (Interlocked.Add(ref received, envelope.AuditEventBatch.Events.Count) >= (long)batches * eventsPerBatch)
                {
                    return;
                }
            }
        });
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < batches; i++)
        {
            await call.RequestStream.WriteAsync(batch);
        }

        await reader;
        clock.Stop();
        return (double)batches * eventsPerBatch / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The like-for-like baseline of the bounded audit shape: <paramref name="callers"/> callers share one stream
    /// (one HTTP/2 connection, as the tenant's), each sending an <see cref="AuditEventBatch"/> of one event and
    /// awaiting its echo before the next; <paramref name="events"/> in all. The stream has one writer, the same
    /// <see cref="EnvelopeOutbox"/> pump the tenant's federation client writes through; echoes are matched to their
    /// caller by the event's sequence. Returns events per second.
    /// </summary>
    public static async Task<double> RoundTripsPerSecondAsync(BenchPki pki, int events, int callers)
    {
        await using var stream = await EchoStream.OpenAsync(pki);
        var call = stream.Call;
        // Caller c sends sequences c, c + callers, ...: one in flight per caller, so its slot is sequence % callers.
        var awaiting = new TaskCompletionSource<ulong>?[callers];
        var reader = Task.Run(async () =>
        {
            var echoed = 0;
            await foreach (var envelope in call.ResponseStream.ReadAllAsync())
            {
                foreach (var e in envelope.AuditEventBatch.Events)
                {
                    Volatile.Read(ref awaiting[(int)(e.Sequence % (ulong)callers)])!.SetResult(e.Sequence);
                }

                echoed += envelope.AuditEventBatch.Events.Count;
                if (echoed >= events)
                {
                    return;
                }
            }
        });
        var clock = Stopwatch.StartNew();
        await using (var outbox = new EnvelopeOutbox(call.RequestStream, "echo-bench", TimeProvider.System, CancellationToken.None))
        {
            await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
            {
                for (var sequence = (ulong)c; sequence < (ulong)events; sequence += (ulong)callers)
                {
                    // Asynchronous continuations: the reader must not run this caller's next send inline.
                    var echo = new TaskCompletionSource<ulong>(TaskCreationOptions.RunContinuationsAsynchronously);
                    Volatile.Write(ref awaiting[c], echo);
                    await outbox.SendAsync(AuditBatches.Make(sequence, 1));
                    if (await echo.Task != sequence)
                    {
                        throw new InvalidOperationException($"Echo caller {c} awaited event {sequence} and was handed another");
                    }
                }
            })));
            clock.Stop();
        }

        await reader;
        return events / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The bare echo server alone: Kestrel, HTTP/2, TLS 1.3, a client certificate required, one echoing gRPC service.
    /// Also what the fleet's memory per connection is compared with.
    /// </summary>
    public static async Task<(WebApplication App, int Port)> StartServerAsync(BenchPki pki)
    {
        var port = Conductor.TestSupport.Network.FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = 64 * 1024 * 1024);
        var serverCertificate = X509Certificate2.CreateFromPemFile(pki.Server.ServerCertificatePath, pki.Server.ServerKeyPath);
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = serverCertificate,
                SslProtocols = SslProtocols.Tls13,
                ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                ClientCertificateValidation = (_, _, _) => true,
            });
        }));
        var app = builder.Build();
        app.MapGrpcService<EchoService>();
        await app.StartAsync();
        return (app, port);
    }

    /// <summary>The echo server and one client stream to it; disposing completes the stream and stops the server.</summary>
    private sealed class EchoStream : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly Grpc.Net.Client.GrpcChannel _channel;

        private EchoStream(WebApplication app, Grpc.Net.Client.GrpcChannel channel)
        {
            (_app, _channel) = (app, channel);
            Call = new Conductor.Federation.Protocol.Federation.FederationClient(channel).Connect();
        }

        public AsyncDuplexStreamingCall<Envelope, Envelope> Call { get; }

        public static async Task<EchoStream> OpenAsync(BenchPki pki)
        {
            var (app, port) = await StartServerAsync(pki);
            var files = pki.Write("echo-" + Guid.NewGuid().ToString("N")[..8]);
            return new EchoStream(app, BenchPki.Channel($"https://localhost:{port}", files.ClientCertificatePath, files.ClientKeyPath, files.CaCertificatePath));
        }

        public async ValueTask DisposeAsync()
        {
            await Call.RequestStream.CompleteAsync();
            Call.Dispose();
            _channel.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private sealed class EchoService : Conductor.Federation.Protocol.Federation.FederationBase
    {
        public override async Task Connect(IAsyncStreamReader<Envelope> requestStream, IServerStreamWriter<Envelope> responseStream, ServerCallContext context)
        {
            await foreach (var envelope in requestStream.ReadAllAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(envelope, context.CancellationToken);
            }
        }
    }
}

/// <summary>Audit batches of the size both measurements send.</summary>
public static class AuditBatches
{
    public static AuditEvent Event(ulong sequence) => new()
    {
        Sequence = sequence,
        Actor = "system:serviceaccount:ont-system:conductor",
        Verb = "update",
        Resource = "configmaps",
        Namespace = "default",
        Name = $"item-{sequence}",
        Outcome = "allowed",
        MatchedPolicy = "cluster-policy",
    };

    public static Envelope Make(ulong first, int count)
    {
        var batch = new AuditEventBatch();
        for (var i = 0; i < count; i++)
        {
            batch.Events.Add(Event(first + (ulong)i));
        }

        return new Envelope { Type = MessageType.AuditEventBatch, AuditEventBatch = batch };
    }
}
