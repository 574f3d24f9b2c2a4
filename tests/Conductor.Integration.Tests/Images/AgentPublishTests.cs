using System.Diagnostics;
using Conductor.Integration.Tests.Architecture;
using Conductor.TestSupport;

namespace Conductor.Integration.Tests.Images;

/// <summary>
/// Publishes the agent exactly as Dockerfile.agent does (<c>dotnet publish src/Silo -c Release</c>) and inspects what
/// would be copied into the image. Only the agent is published here: it is the image with the boundary to keep
/// (no compiler code), and publishing all three programs would cost CI minutes for no extra assurance.
/// </summary>
public sealed class AgentPublishTests
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Publish_Agent_OutputHoldsConductorAndNoCompileOnlyAssembly()
    {
        using var output = new TemporaryDirectory();
        var project = Load("Dockerfile.agent").PublishedProjects.Single();

        var (exitCode, log) = await PublishAsync(project, output.Path);

        Assert.True(exitCode == 0, $"dotnet publish {project} failed:\n{log}");
        var files = Directory.GetFiles(output.Path).Select(Path.GetFileName).ToArray();
        Assert.Contains("conductor.dll", files);
        Assert.Contains("conductor.runtimeconfig.json", files);
        Assert.DoesNotContain(files, f => CompileOnlyDependencies.IsCompileOnlyAssembly(Path.GetFileNameWithoutExtension(f!)));
    }

    private static Dockerfile Load(string file) => Dockerfile.Load(Path.Combine(DependencyClosure.RepositoryRoot(), file));

    private static async Task<(int ExitCode, string Log)> PublishAsync(string project, string outputDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DependencyClosure.RepositoryRoot(),
        };
        foreach (var argument in new[] { "publish", project, "-c", "Release", "-o", outputDirectory, "--no-self-contained", "-nologo" })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet publish");
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var deadline = new CancellationTokenSource(PublishTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet publish {project} did not finish within {PublishTimeout}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
