using System.Diagnostics;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Conductor.Federation.Protocol;
using Grpc.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Conductor.Bench.Federation;

/// <summary>
/// The baseline: a bare Grpc.AspNetCore bidirectional stream that echoes every envelope, on the same Kestrel,
/// HTTP/2, TLS 1.3 and mTLS setup, carrying the same audit batches. No grains, no Kubernetes, no WAL.
/// </summary>
public static class EchoBaseline
{
    public static async Task<double> EventsPerSecondAsync(BenchPki pki, int batches, int eventsPerBatch)
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
        await using var app = builder.Build();
        app.MapGrpcService<EchoService>();
        await app.StartAsync();

        var files = pki.Write("echo-" + Guid.NewGuid().ToString("N")[..8]);
        using var channel = BenchPki.Channel($"https://localhost:{port}", files.ClientCertificatePath, files.ClientKeyPath, files.CaCertificatePath);
        var client = new Conductor.Federation.Protocol.Federation.FederationClient(channel);
        using var call = client.Connect();
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
        await call.RequestStream.CompleteAsync();
        await app.StopAsync();
        return (double)batches * eventsPerBatch / clock.Elapsed.TotalSeconds;
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
