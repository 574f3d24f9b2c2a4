using Conductor.Integration.Tests.Observability;
using Conductor.Resources;
using Conductor.Resources.Seam;
using Conductor.TestSupport;
using Conductor.TestSupport.Kubernetes;
using Conductor.TestSupport.Processes;
using k8s;
using k8s.Models;

namespace Conductor.Integration.Tests.Dashboard;

/// <summary>
/// Loads the management dashboard in headless Chromium from Debian, lets its script poll the agent, and keeps a
/// screenshot. The DOM Chromium rendered proves the page's script ran against the live agent (it filled in the
/// cluster, the update time, the counters and the panels, which the served HTML does not contain).
/// </summary>
public sealed class DashboardScreenshotTests
{
    [Fact]
    public async Task Screenshot_ManagementDashboard_RendersLiveStateAndPanels()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var kube = new KubeFixture();
        await kube.InitializeAsync();
        var ns = new TestNamespace(kube);
        await ns.InitializeAsync();
        try
        {
            await kube.Client.CustomObjects.CreateNamespacedCustomObjectAsync(new RunnerConfig
            {
                Metadata = new V1ObjectMeta { Name = "ccs-dash", NamespaceProperty = ns.Name },
                Spec = new RunnerConfigSpec
                {
                    ClusterRef = "ccs-dash",
                    AgentImage = "registry.example/conductor-execute:v1.9.3",
                    Steps = [new RunnerStep { Name = "first-step", Capability = "node-patch" }, new RunnerStep { Name = "second-step", Capability = "node-patch", DependsOn = ["first-step"] }],
                },
            }, SeamApi.Group, SeamApi.Version, ns.Name, RunnerConfig.Plural, cancellationToken: cancellationToken);
            await using var agent = await StartedAgent.StartAsync("management", cancellationToken, new Dictionary<string, string?>
            {
                ["SEQUENCER_NAMESPACE"] = ns.Name,
            });
            using var work = new TemporaryDirectory();
            var url = new Uri(agent.Http.BaseAddress!, "/dashboard").ToString();
            string[] headless = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--no-first-run", "--user-data-dir=" + work.File("profile"), "--virtual-time-budget=5000", "--window-size=1200,900"];

            var screenshot = await ExternalTool.RunAsync("chromium", "chromium", [.. headless, "--screenshot=" + work.File("dashboard.png"), url]);
            var dom = await ExternalTool.RunAsync("chromium", "chromium", [.. headless, "--dump-dom", url]);

            Assert.True(screenshot.ExitCode == 0, screenshot.Stderr);
            Assert.True(new FileInfo(work.File("dashboard.png")).Length > 0, "chromium wrote no screenshot");
            Assert.True(dom.ExitCode == 0, dom.Stderr);
            Assert.Contains("<small id=\"cluster\">mgmt</small>", dom.StdoutText, StringComparison.Ordinal);
            Assert.Contains("connected tenants: 0", dom.StdoutText, StringComparison.Ordinal);
            Assert.Contains("federation gateway is not running", dom.StdoutText, StringComparison.Ordinal);
            Assert.Contains("<p id=\"degraded\" class=\"\">none</p>", dom.StdoutText, StringComparison.Ordinal);
            Assert.Contains("tenants do not send their audit WAL", dom.StdoutText, StringComparison.Ordinal);
            Assert.Matches($"<tr class=\"runnerconfig\"><td>{ns.Name}/ccs-dash</td><td>ccs-dash</td><td[^>]*>\\w+</td><td[^>]*>[^<]*</td><td[^>]*>\\d / 2</td>",
                dom.StdoutText);
            Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
            File.Copy(work.File("dashboard.png"), Path.Combine(AppContext.BaseDirectory, "screenshots", "dashboard.png"), overwrite: true);
        }
        finally
        {
            await ns.DisposeAsync();
            await kube.DisposeAsync();
        }
    }
}
