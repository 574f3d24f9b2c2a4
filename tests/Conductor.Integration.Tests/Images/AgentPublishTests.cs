using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Text.Json;
using Conductor.Integration.Tests.Architecture;
using Conductor.Silo.Management;
using Conductor.Silo.Membership;
using Conductor.TestSupport.Kubernetes;
using Conductor.TestSupport.Network;
using Conductor.TestSupport.Processes;
using k8s;

namespace Conductor.Integration.Tests.Images;

/// <summary>
/// Publishes the agent exactly as Dockerfile.agent does (self-contained, framework and KubernetesClient trimmed,
/// CoreLib and Orleans precompiled) and runs what the image would: its ENTRYPOINT, in both roles, against the real
/// kube-apiserver, until <c>/readyz</c> answers. Trimming removes framework code that kept assemblies may only reach by reflection, so this
/// is the proof that the trimmed agent still starts and does its first real work (Lease, watches, first lists).
/// </summary>
public sealed class AgentPublishTests(PublishedAgent published) : IClassFixture<PublishedAgent>
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan LeaseTimeout = TimeSpan.FromSeconds(60);

    // What a member removed by the trimmer looks like when kept code reaches it by reflection.
    private static readonly string[] TrimmingFailures =
        ["MissingMethodException", "MissingMemberException", "MissingFieldException", "TypeLoadException", "FileNotFoundException"];

    [Fact]
    public void Publish_Agent_OutputHoldsEntrypointAndNoCompileOnlyAssembly()
    {
        var files = Directory.GetFiles(published.Directory).Select(Path.GetFileName).ToArray();

        Assert.True(File.Exists(published.Entrypoint[0]), $"the image's ENTRYPOINT {published.Entrypoint[0]} was not published");
        Assert.Contains("conductor.dll", files);
        Assert.DoesNotContain(files, f => CompileOnlyDependencies.IsCompileOnlyAssembly(Path.GetFileNameWithoutExtension(f!)));
    }

    [Fact]
    public void Publish_Agent_IsSelfContainedWithTrimmedFramework()
    {
        // The apphost needs no shared runtime (the image's base has none), and the framework is the trimmed copy:
        // System.Private.CoreLib of the shared runtime is about 15 MB, trimmed it is a fraction of that.
        var coreLib = new FileInfo(Path.Combine(published.Directory, "System.Private.CoreLib.dll"));

        Assert.True(coreLib.Exists, "System.Private.CoreLib.dll is missing: the publish is not self-contained");
        Assert.InRange(coreLib.Length, 1, 10 * 1024 * 1024);
    }

    [Theory]
    [InlineData("System.Private.CoreLib.dll", true)]
    [InlineData("Orleans.Runtime.dll", true)]
    [InlineData("System.Text.Json.dll", false)]
    [InlineData("Microsoft.AspNetCore.Server.Kestrel.Core.dll", false)]
    [InlineData("KubernetesClient.dll", false)]
    [InlineData("conductor.dll", false)]
    public void Publish_Agent_PrecompilesCoreLibAndOrleansOnly(string assembly, bool precompiled)
    {
        // Every precompiled image's pages stay resident in the tenant too, so only CoreLib (most of the start-up JIT)
        // and Orleans (loaded by management only) are precompiled: src/Silo/Publish/ReadyToRunSelection.targets.
        using var image = new PEReader(File.OpenRead(Path.Combine(published.Directory, assembly)));
        var readyToRunHeader = image.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size ?? 0;

        Assert.True((readyToRunHeader > 0) == precompiled,
            $"{assembly} is {(readyToRunHeader > 0 ? "precompiled (ReadyToRun)" : "IL only")}; the image's rule wants it {(precompiled ? "precompiled" : "IL only")}");
    }

    [Fact]
    public void Publish_Agent_KeepsReflectionJsonEnabled()
    {
        // A trimmed publish turns System.Text.Json's reflection off by default; the agent serializes its own records
        // (membership rows, audit chunks, journals) by reflection, so the switch must stay on.
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(published.Directory, "conductor.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(
            !properties.TryGetProperty("System.Text.Json.JsonSerializer.IsReflectionEnabledByDefault", out var enabled) || enabled.GetBoolean(),
            "the published agent disables reflection-based System.Text.Json serialization");
    }

    [Fact]
    public async Task Published_TenantRole_ReadyAgainstRealApiserver()
    {
        using var kube = await KubeFixture.ConnectAsync(KubeFixture.KubeconfigVariable, TestContext.Current.CancellationToken);

        var log = await RunUntilReadyAsync("tenant", TestContext.Current.CancellationToken);

        Assert.DoesNotContain(TrimmingFailures, failure => log.Contains(failure, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Published_TenantRole_HoldsAndRenewsItsLease()
    {
        // KubernetesClient is trimmed (its models kept whole): the tenant's ready path lists and watches through the
        // typed client; leadership adds a read, a create and repeated replaces of a V1Lease through the same client
        // and its JSON. A trimmed member on that path would show as a Lease that is never taken or never renewed.
        var kube = new KubeFixture();
        await kube.InitializeAsync();
        await using var kubeLifetime = kube;
        await using var space = new TestNamespace(kube);
        await space.InitializeAsync();
        const string clusterRef = "tenant-published";
        const string holder = "published-tenant";

        var log = await RunUntilReadyAsync("tenant", TestContext.Current.CancellationToken, new Dictionary<string, string>
        {
            ["POD_NAMESPACE"] = space.Name,
            ["POD_NAME"] = holder,
        }, async cancellationToken =>
        {
            var renewals = new HashSet<DateTime>();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(LeaseTimeout);
            while (renewals.Count < 2)
            {
                deadline.Token.ThrowIfCancellationRequested();
                var leases = await kube.Client.CoordinationV1.ListNamespacedLeaseAsync(space.Name, cancellationToken: deadline.Token);
                var lease = leases.Items.SingleOrDefault(l => l.Metadata.Name == "conductor-" + clusterRef);
                if (lease?.Spec.HolderIdentity == holder && lease.Spec.RenewTime is { } renewed)
                {
                    renewals.Add(renewed);
                }
                await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token);
            }
        });

        Assert.Contains($"Started leading Lease {space.Name}/conductor-{clusterRef} as {holder}", log, StringComparison.Ordinal);
        Assert.DoesNotContain(TrimmingFailures, failure => log.Contains(failure, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Published_ManagementRole_ReadyAgainstRealApiserver()
    {
        // Management readiness waits for its RunnerConfig and Job watches' first lists: the CRDs must be served.
        // It clusters through the Kubernetes membership table as in production, which writes its rows as JSON.
        var kube = new KubeFixture();
        await kube.InitializeAsync();
        await using var kubeLifetime = kube;
        await using var membership = new TestNamespace(kube);
        await membership.InitializeAsync();

        var log = await RunUntilReadyAsync("management", TestContext.Current.CancellationToken, new Dictionary<string, string>
        {
            [KubernetesMembershipOptions.ClusteringEnvVar] = KubernetesMembershipOptions.KubernetesClustering,
            [KubernetesMembershipOptions.NamespaceEnvVar] = membership.Name,
            [KubernetesMembershipOptions.PodNamespaceEnvVar] = membership.Name,
            [ManagementOptions.ClusterIdEnvVar] = "published",
        });

        Assert.DoesNotContain(TrimmingFailures, failure => log.Contains(failure, StringComparison.Ordinal));
    }

    /// <summary>
    /// Starts the published ENTRYPOINT in <paramref name="role"/>, waits for /readyz 200, runs <paramref name="whileReady"/>
    /// (if any) against the running agent, and returns its output.
    /// </summary>
    private async Task<string> RunUntilReadyAsync(
        string role, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null,
        Func<CancellationToken, Task>? whileReady = null)
    {
        var internalPort = FreePort.Next();
        var start = new ProcessStartInfo(published.Entrypoint[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = published.Directory,
        };
        foreach (var argument in published.Entrypoint.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var name in ProgramRunner.ScrubbedVariables)
        {
            start.Environment.Remove(name);
        }
        start.Environment["CONDUCTOR_ROLE"] = role;
        start.Environment["CLUSTER_REF"] = role == "management" ? "mgmt" : "tenant-published";
        start.Environment["INTERNAL_PORT"] = internalPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["SILO_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        start.Environment["GATEWAY_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {published.Entrypoint[0]}");
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{internalPort}"), Timeout = TimeSpan.FromSeconds(5) };
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(ReadyTimeout);
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"the published agent ({role}) exited with {process.ExitCode} before it was ready\n{Snapshot(output)}");
                }
                if (deadline.IsCancellationRequested)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new TimeoutException($"the published agent ({role}) was not ready within {ReadyTimeout}\n{Snapshot(output)}");
                }
                try
                {
                    using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative), deadline.Token);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The probe or the deadline ran out; the loop reports which.
                }
                await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
            }
            if (whileReady is not null)
            {
                try
                {
                    await whileReady(cancellationToken);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"the published agent ({role}) did not do what the test waited for within its deadline\n{Snapshot(output)}");
                }
            }
            return Snapshot(output);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
