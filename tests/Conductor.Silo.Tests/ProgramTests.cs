using Conductor.TestSupport.Processes;

namespace Conductor.Silo.Tests;

/// <summary>The built conductor agent, run as a process: its mode and role guards and help.</summary>
public sealed class ProgramTests
{
    private const string Program = "conductor";

    [Theory]
    [InlineData("compile")]
    [InlineData("--mode", "compile")]
    [InlineData("--mode=execute")]
    public async Task Main_OtherMode_ExitsTwoWithInvariantViolationLine(params string[] args)
    {
        var result = await ProgramRunner.RunAsync(Program, args, Role("management"), cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 2, result.ToString());
        var reason = AssertViolation(result);
        Assert.Contains("conductor runs only in agent mode", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_ModeEnvCompile_ExitsTwo()
    {
        var environment = new Dictionary<string, string?> { ["CONDUCTOR_MODE"] = "compile", ["CONDUCTOR_ROLE"] = "tenant" };

        var result = await ProgramRunner.RunAsync(Program, [], environment, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("INV-023", AssertViolation(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_NoRole_ExitsTwoNamingConductorRole()
    {
        var result = await ProgramRunner.RunAsync(Program, [], cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 2, result.ToString());
        var reason = AssertViolation(result);
        Assert.Contains("CONDUCTOR_ROLE", reason, StringComparison.Ordinal);
        Assert.Contains("not set", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Management")]
    [InlineData("worker")]
    [InlineData(" tenant")]
    public async Task Main_UnknownRole_ExitsTwoQuotingValue(string role)
    {
        var result = await ProgramRunner.RunAsync(Program, [], Role(role), cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 2, result.ToString());
        var reason = AssertViolation(result);
        Assert.Contains($"got '{role}'", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_Help_ExitsZeroListingRolesAndEnvironment()
    {
        var result = await ProgramRunner.RunAsync(Program, ["--help"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var text in new[] { "CONDUCTOR_ROLE=management", "CONDUCTOR_ROLE=tenant", "CLUSTER_REF", "FEDERATION_PORT", "MGMT_ENDPOINT", "WAL_PATH" })
        {
            Assert.Contains(text, result.Stdout, StringComparison.Ordinal);
        }
        Assert.Empty(result.Stderr);
    }

    private static Dictionary<string, string?> Role(string role) => new() { ["CONDUCTOR_ROLE"] = role };

    private static string AssertViolation(ProgramResult result)
    {
        var violation = InvariantViolationLine.Parse(Assert.Single(result.StderrLines));
        Assert.Equal(["category", "reason", "timestamp"], violation.Keys);
        Assert.Equal("InvariantViolation", violation.Category);
        Assert.NotNull(violation.Timestamp);
        return violation.Reason!;
    }
}
