using System.Diagnostics;
using System.Text.Json;
using Conductor.TestSupport;

namespace Conductor.Compiler.Tests;

/// <summary>The built <c>compiler</c> program, run as a process: the mode guard runs first, then the verbs.</summary>
public sealed class ProgramTests
{
    private static readonly string CompilerDll = Path.Combine(AppContext.BaseDirectory, "compiler.dll");

    [Fact]
    public async Task Main_AgentModeRequested_InvariantViolationExit2()
    {
        var (exitCode, stdout, stderr) = await RunAsync("--mode", "agent", "launch", "--output", "unused");

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        using var line = JsonDocument.Parse(stderr.Trim());
        Assert.Equal("InvariantViolation", line.RootElement.GetProperty("category").GetString());
    }

    [Fact]
    public async Task Main_Launch_WritesBundleExit0()
    {
        using var temp = new TemporaryDirectory();

        var (exitCode, _, stderr) = await RunAsync("launch", "--output", temp.Path);

        Assert.True(exitCode == 0, stderr);
        Assert.True(File.Exists(temp.File("kustomization.yaml")));
        Assert.Equal(23, Directory.GetFiles(temp.Path).Length);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(CompilerDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("CONDUCTOR_MODE");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }
}
