using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Conductor.Bench.Governance;
using Conductor.Permissions.Protocol;
using Conductor.Resources;
using Conductor.Resources.Guardian;
using Conductor.Silo.Permissions;
using Conductor.Silo.Webhook;
using Conductor.TestSupport.Certificates;
using Conductor.TestSupport.Kubernetes;
using Conductor.TestSupport.Network;
using Grpc.Health.V1;
using Grpc.Net.Client;
using k8s;
using k8s.Models;

// The webhook and the PermissionService wired exactly as the tenant agent wires them, on loopback over TLS, loading
// the snapshot from the real kube-apiserver (KUBECONFIG). Console logging is off so the figures measure decisions,
// not log I/O.
var seconds = args is [var s] ? int.Parse(s, CultureInfo.InvariantCulture) : 15;
var duration = TimeSpan.FromSeconds(seconds);
using var kube = await KubeFixture.ConnectAsync(KubeFixture.KubeconfigVariable, CancellationToken.None);
await CrdInstaller.EnsureInstalledAsync(kube, CancellationToken.None);
var ns = $"conductor-test-bench-{Guid.NewGuid():N}"[..40];
const string Cluster = "ccs-bench";
await kube.CoreV1.CreateNamespaceAsync(new V1Namespace
{
    Metadata = new V1ObjectMeta { Name = ns, Labels = new Dictionary<string, string> { [TestNamespace.TestLabel] = "true" } },
});
var directory = Directory.CreateTempSubdirectory("conductor-bench-").FullName;
using var pki = FederationPki.Create("Governance Bench CA");
var files = pki.WriteTo(directory, "unused");
var webhookPort = FreePort.Next();
var permissionPort = FreePort.Next();
try
{
    await Fixtures.CreateVerifiedSnapshotAsync(kube, ns, Cluster);
    var builder = WebApplication.CreateSlimBuilder();
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["WEBHOOK_PORT"] = webhookPort.ToString(CultureInfo.InvariantCulture),
        ["WEBHOOK_TLS_CERT_PATH"] = files.ServerCertificatePath,
        ["WEBHOOK_TLS_KEY_PATH"] = files.ServerKeyPath,
        ["PERMISSION_SERVICE_PORT"] = permissionPort.ToString(CultureInfo.InvariantCulture),
        ["PERMISSION_SERVICE_TLS_CERT_PATH"] = files.ServerCertificatePath,
        ["PERMISSION_SERVICE_TLS_KEY_PATH"] = files.ServerKeyPath,
        ["POD_NAMESPACE"] = ns,
        ["CLUSTER_REF"] = Cluster,
        ["POD_NAME"] = "bench-replica",
    });
    builder.Logging.ClearProviders();
    builder.Services.AddSingleton(kube);
    builder.Services.AddAdmissionWebhooks();
    builder.Services.AddPermissionService();
    builder.Services.Configure<WebhookOptions>(o => o.BindAddress = "127.0.0.1");
    builder.Services.Configure<PermissionServiceOptions>(o => o.BindAddress = "127.0.0.1");
    await using var app = builder.Build();
    app.MapAdmissionWebhooks();
    app.MapPermissionService();
    // Baseline: the same Kestrel listener and TLS, a trivial endpoint returning a fixed body.
    app.MapPost("/baseline", () => Results.Text("""{"ok":true}""", "application/json")).RequireHost($"*:{webhookPort}");
    await app.StartAsync();

    using var channel = Fixtures.Channel(pki, permissionPort);
    var health = new Health.HealthClient(channel);
    using (var ready = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
    {
        while ((await health.CheckAsync(new HealthCheckRequest(), cancellationToken: ready.Token)).Status != HealthCheckResponse.Types.ServingStatus.Serving)
        {
            await Task.Delay(100, ready.Token);
        }
    }

    var review = Fixtures.AdmissionReviewJson();
    var baseline = await WebhookLatencyBenchmark.RunAsync(new Uri($"https://127.0.0.1:{webhookPort}/baseline"), review, duration, directory);
    var webhook = await WebhookLatencyBenchmark.RunAsync(new Uri($"https://127.0.0.1:{webhookPort}{AdmissionEndpoints.RbacOwnershipPath}"), review, duration, directory);

    var service = new PermissionService.PermissionServiceClient(channel);
    var question = new CheckPermissionRequest { Principal = "alice", Cluster = Cluster, ApiGroup = "apps", Resource = "deployments", Verb = "get", Namespace = "shop" };
    var check = await service.CheckPermissionAsync(question);
    if (!check.Allowed)
    {
        throw new InvalidOperationException($"the benchmark question was denied: {check.Reason}");
    }
    const int Callers = 64;
    var echo = await ThroughputBenchmark.CallsPerSecondAsync(
        async ct => await health.CheckAsync(new HealthCheckRequest(), cancellationToken: ct), Callers, TimeSpan.FromSeconds(3), duration);
    var decisions = await ThroughputBenchmark.CallsPerSecondAsync(
        async ct => await service.CheckPermissionAsync(question, cancellationToken: ct), Callers, TimeSpan.FromSeconds(3), duration);

    Console.WriteLine($"Environment: {Environment.ProcessorCount} cores (shared), loopback TLS, {seconds}s per run");
    Console.WriteLine($"Webhook at {WebhookLatencyBenchmark.RatePerSecond} req/s ({WebhookLatencyBenchmark.Connections} connections, wrk, HTTPS):");
    Console.WriteLine($"  baseline /baseline              p50 {baseline.P50Ms:F3} ms  p99 {baseline.P99Ms:F3} ms  ({baseline.RequestsPerSecond:F0} req/s achieved)");
    Console.WriteLine($"  /validate/rbac-ownership        p50 {webhook.P50Ms:F3} ms  p99 {webhook.P99Ms:F3} ms  ({webhook.RequestsPerSecond:F0} req/s achieved)  target p99 <= 5 ms: {(webhook.P99Ms <= 5 ? "met" : "MISSED")}");
    Console.WriteLine($"PermissionService ({Callers} concurrent callers, one HTTP/2 TLS channel):");
    Console.WriteLine($"  baseline grpc.health.v1 Check   {echo:F0} calls/s");
    Console.WriteLine($"  CheckPermission                 {decisions:F0} decisions/s  target >= 20000: {(decisions >= 20_000 ? "met" : "MISSED")}");
}
finally
{
    await kube.CoreV1.DeleteNamespaceAsync(ns);
    Directory.Delete(directory, recursive: true);
}

internal static class Fixtures
{
    public static async Task CreateVerifiedSnapshotAsync(IKubernetes kube, string ns, string cluster)
    {
        const string Name = "snapshot-bench";
        var subjects = Enumerable.Range(0, 50).Select(i => new SnapshotSubject
        {
            SubjectName = i == 49 ? "alice" : $"user-{i}",
            SubjectKind = SubjectKind.User,
            Namespace = "shop",
            Permissions =
            [
                new PermissionRule { ApiGroups = ["batch"], Resources = ["jobs", "cronjobs"], Verbs = ["create", "delete"] },
                new PermissionRule { ApiGroups = ["apps"], Resources = ["*/scale"], Verbs = ["update"] },
                new PermissionRule { ApiGroups = ["apps"], Resources = ["deployments", "statefulsets"], Verbs = ["get", "list", "watch"] },
            ],
        }).ToList();
        await KubeApi.Of<PermissionSnapshot>().GenericClient(kube).CreateNamespacedAsync(new PermissionSnapshot
        {
            Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = ns },
            Spec = new PermissionSnapshotSpec { TargetCluster = cluster, Version = "v1", Subjects = subjects },
        }, ns);
        await KubeApi.Of<PermissionSnapshotReceipt>().GenericClient(kube).CreateNamespacedAsync(new PermissionSnapshotReceipt
        {
            Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = ns },
            Spec = new PermissionSnapshotReceiptSpec { SnapshotRef = Name, TargetCluster = cluster },
        }, ns);
        await kube.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(
            """{"status":{"verified":true,"acknowledged":true,"acknowledgedVersion":"v1"}}""", V1Patch.PatchType.MergePatch),
            GuardianApi.Group, GuardianApi.Version, ns, PermissionSnapshotReceipt.Plural, Name);
    }

    public static GrpcChannel Channel(FederationPki pki, int port)
    {
        var handler = pki.TrustingHandler();
        handler.EnableMultipleHttp2Connections = true;
        return GrpcChannel.ForAddress($"https://127.0.0.1:{port}", new GrpcChannelOptions { HttpHandler = handler });
    }

    /// <summary>A guardian-owned Role create: the common post-sweep path, allowed without an audit log line.</summary>
    public static string AdmissionReviewJson() => """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"0f8b1f7e-1111-4c3a-9d2e-000000000001","kind":{"group":"rbac.authorization.k8s.io","version":"v1","kind":"Role"},"resource":{"group":"rbac.authorization.k8s.io","version":"v1","resource":"roles"},"name":"reader","namespace":"shop","operation":"CREATE","userInfo":{"username":"alice"},"object":{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"reader","namespace":"shop","annotations":{"ontai.dev/rbac-owner":"guardian"}},"rules":[{"apiGroups":["apps"],"resources":["deployments"],"verbs":["get"]}]}}}
        """;
}
