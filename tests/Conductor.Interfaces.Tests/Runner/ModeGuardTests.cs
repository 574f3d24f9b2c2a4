using System.Text.Json;
using Conductor.Runner;
using Microsoft.Extensions.Time.Testing;

namespace Conductor.Interfaces.Tests.Runner;

public sealed class ModeGuardTests
{
    [Theory]
    [InlineData(new[] { "--mode", "compile" }, null)]
    [InlineData(new[] { "--mode=compile" }, null)]
    [InlineData(new[] { "compile" }, null)]
    [InlineData(new string[0], "compile")]
    [InlineData(new[] { "--mode", "agent" }, null)]
    public void Check_OtherMode_ReturnsReason(string[] args, string? env)
    {
        var reason = ModeGuard.Check(ProgramModes.Execute, "conductor-execute", args, env);

        Assert.NotNull(reason);
        Assert.Contains("conductor-execute runs only in execute mode", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--mode", "execute" }, null)]
    [InlineData(new string[0], "execute")]
    [InlineData(new[] { "--help" }, null)]
    [InlineData(new string[0], null)]
    public void Check_OwnModeOrNone_ReturnsNull(string[] args, string? env) =>
        Assert.Null(ModeGuard.Check(ProgramModes.Execute, "conductor-execute", args, env));

    [Fact]
    public void Check_CompileOnAgent_NamesCompilerBinary()
    {
        var reason = ModeGuard.Check(ProgramModes.Agent, "conductor", ["compile"], null);

        Assert.Contains("INV-023", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Violation_OneJsonLineWithThreeKeys()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
        using var stderr = new StringWriter();

        var code = InvariantViolation.Write(stderr, "because \"quoted\" it's", time);

        Assert.Equal(2, code);
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        using var doc = JsonDocument.Parse(lines[0]);
        Assert.Equal(["category", "reason", "timestamp"], doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("InvariantViolation", doc.RootElement.GetProperty("category").GetString());
        Assert.Contains("it's", lines[0], StringComparison.Ordinal);
        Assert.Equal("because \"quoted\" it's", doc.RootElement.GetProperty("reason").GetString());
        Assert.Equal("2026-11-27T10:00:00.0000000Z", doc.RootElement.GetProperty("timestamp").GetString());
    }
}
