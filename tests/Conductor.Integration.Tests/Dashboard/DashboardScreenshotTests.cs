using Conductor.Integration.Tests.Observability;
using Conductor.TestSupport;
using Conductor.TestSupport.Processes;

namespace Conductor.Integration.Tests.Dashboard;

/// <summary>
/// Loads the management dashboard in headless Chromium from Debian, lets its script poll the agent, and keeps a
/// screenshot. The DOM Chromium rendered proves the page's script ran against the live agent (it filled in the
/// cluster, the update time and the counters, which the served HTML does not contain).
/// </summary>
public sealed class DashboardScreenshotTests
{
    [Fact]
    public async Task Screenshot_ManagementDashboard_RendersLiveState()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var agent = await StartedAgent.StartAsync("management", cancellationToken);
        using var work = new TemporaryDirectory();
        var url = new Uri(agent.Http.BaseAddress!, "/dashboard").ToString();
        string[] headless = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--no-first-run", "--user-data-dir=" + work.File("profile"), "--virtual-time-budget=5000", "--window-size=1200,700"];

        var screenshot = await ExternalTool.RunAsync("chromium", "chromium", [.. headless, "--screenshot=" + work.File("dashboard.png"), url]);
        var dom = await ExternalTool.RunAsync("chromium", "chromium", [.. headless, "--dump-dom", url]);

        Assert.True(screenshot.ExitCode == 0, screenshot.Stderr);
        Assert.True(new FileInfo(work.File("dashboard.png")).Length > 0, "chromium wrote no screenshot");
        Assert.True(dom.ExitCode == 0, dom.Stderr);
        Assert.Contains("<small id=\"cluster\">mgmt</small>", dom.StdoutText, StringComparison.Ordinal);
        Assert.Contains("connected tenants: 0", dom.StdoutText, StringComparison.Ordinal);
        Assert.Contains("federation gateway is not running", dom.StdoutText, StringComparison.Ordinal);
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        File.Copy(work.File("dashboard.png"), Path.Combine(AppContext.BaseDirectory, "screenshots", "dashboard.png"), overwrite: true);
    }
}
