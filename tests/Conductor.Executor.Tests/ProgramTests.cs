using System.Text.Json;
using Conductor.TestSupport.Processes;

namespace Conductor.Executor.Tests;

/// <summary>The built conductor-execute, run as a process: its guards and help.</summary>
public sealed class ProgramTests
{
    private const string Program = "conductor-execute";

    [Fact]
    public async Task Main_ModeFlagCompile_ExitsTwoWithInvariantViolationLine()
    {
        var result = await ProgramRunner.RunAsync(Program, ["--mode", "compile"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, result.ExitCode);
        AssertViolation(result, "compile");
    }

    [Fact]
    public async Task Main_ModeEnvCompile_ExitsTwoWithInvariantViolationLine()
    {
        var result = await ProgramRunner.RunAsync(Program, [], new Dictionary<string, string?> { ["CONDUCTOR_MODE"] = "compile" },
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, result.ExitCode);
        AssertViolation(result, "compile");
    }

    [Fact]
    public async Task Main_ModeAgentBeforeHelp_ExitsTwo()
    {
        var result = await ProgramRunner.RunAsync(Program, ["--help", "--mode=agent"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, result.ExitCode);
        AssertViolation(result, "agent");
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Main_Help_ExitsZeroDescribingJobProtocol()
    {
        var result = await ProgramRunner.RunAsync(Program, ["--help"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("conductor-execute:", result.Stdout, StringComparison.Ordinal);
        foreach (var variable in new[] { "CAPABILITY", "CLUSTER_REF", "STEP_NAME", "STEP_PARAMETERS", "RESULT_CONFIGMAP", "POD_NAMESPACE" })
        {
            Assert.Contains(variable, result.Stdout, StringComparison.Ordinal);
        }
        Assert.Empty(result.Stderr);
    }

    private static void AssertViolation(ProgramResult result, string requestedMode)
    {
        var line = Assert.Single(result.StderrLines);
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        Assert.Equal(["category", "reason", "timestamp"], root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("InvariantViolation", root.GetProperty("category").GetString());
        Assert.Contains($"mode '{requestedMode}'", root.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParse(root.GetProperty("timestamp").GetString(), out _), line);
    }
}
