using System.Text.Json;
using Conductor.Silo.Roles;
using Microsoft.Extensions.Time.Testing;

namespace Conductor.Silo.Tests.Roles;

public sealed class RoleGuardTests
{
    [Theory]
    [InlineData("management", AgentRole.Management)]
    [InlineData("tenant", AgentRole.Tenant)]
    public void Parse_ExactValue_ReturnsRole(string value, AgentRole expected)
    {
        var (role, reason) = RoleGuard.Parse(value);

        Assert.Equal(expected, role);
        Assert.Null(reason);
        Assert.Equal(value, RoleGuard.ToValue(expected));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("worker")]
    [InlineData("controller")]
    [InlineData("TENANT")]
    [InlineData("management ")]
    public void Parse_AbsentOrUnknown_ReturnsReasonNamingVariable(string? value)
    {
        var (role, reason) = RoleGuard.Parse(value);

        Assert.Null(role);
        Assert.StartsWith("CONDUCTOR_ROLE must be management or tenant:", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Enforce_Unknown_WritesViolationAndReturnsTwo()
    {
        using var stderr = new StringWriter();

        var (role, exitCode) = RoleGuard.Enforce("worker", stderr, new FakeTimeProvider());

        Assert.Null(role);
        Assert.Equal(2, exitCode);
        using var document = JsonDocument.Parse(stderr.ToString());
        Assert.Equal("InvariantViolation", document.RootElement.GetProperty("category").GetString());
    }

    [Fact]
    public void Enforce_Valid_WritesNothing()
    {
        using var stderr = new StringWriter();

        var (role, exitCode) = RoleGuard.Enforce("tenant", stderr, new FakeTimeProvider());

        Assert.Equal(AgentRole.Tenant, role);
        Assert.Null(exitCode);
        Assert.Empty(stderr.ToString());
    }
}
