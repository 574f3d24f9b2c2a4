using Conductor.Silo.Federation.AuditWal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Tests.Federation.AuditWal;

public sealed class AuditWalOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var options = new AuditWalOptions();

        Assert.True(new AuditWalOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal("/var/lib/conductor/federation-wal", options.Path);
        Assert.Equal(104857600, options.MaxBytes);
    }

    [Fact]
    public void Validate_RelativePathAndTinyCap_ReportsBothNamingTheVariables()
    {
        var result = new AuditWalOptionsValidator().Validate(null, new AuditWalOptions { Path = "wal", MaxBytes = 10 });

        Assert.True(result.Failed);
        Assert.Equal(2, result.Failures.Count());
        Assert.Contains(result.Failures, f => f.Contains("WAL_PATH", StringComparison.Ordinal));
        Assert.Contains(result.Failures, f => f.Contains("WAL_MAX_BYTES must be at least 4096", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_LiveTailOfNoRecords_FailsNamingTheField()
    {
        var result = new AuditWalOptionsValidator().Validate(null, new AuditWalOptions { Path = "/var/wal", LiveTailRecords = 0 });

        Assert.Contains("AuditWal:LiveTailRecords must be at least 1 (got 0)", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void AddAuditWal_UnparsableMaxBytes_FailsNamingTheValue()
    {
        using var provider = Build(new() { ["WAL_PATH"] = "/tmp/x", ["WAL_MAX_BYTES"] = "100MiB" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AuditWalOptions>>().Value);

        Assert.Contains("WAL_MAX_BYTES '100MiB' is not a whole number of bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddAuditWal_EnvironmentValues_BindPathAndCap()
    {
        using var provider = Build(new() { ["WAL_PATH"] = "/data/wal", ["WAL_MAX_BYTES"] = "65536" });

        var options = provider.GetRequiredService<IOptions<AuditWalOptions>>().Value;

        Assert.Equal("/data/wal", options.Path);
        Assert.Equal(65536, options.MaxBytes);
    }

    private static ServiceProvider Build(Dictionary<string, string?> values)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging();
        services.AddAuditWal();
        return services.BuildServiceProvider();
    }
}
