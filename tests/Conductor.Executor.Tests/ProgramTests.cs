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
        var violation = InvariantViolationLine.Parse(Assert.Single(result.StderrLines));
        Assert.Equal(["category", "reason", "timestamp"], violation.Keys);
        Assert.Equal("InvariantViolation", violation.Category);
        Assert.Contains($"mode '{requestedMode}'", violation.Reason, StringComparison.Ordinal);
        Assert.NotNull(violation.Timestamp);
    }
}
