using Conductor.Executor.JobEnvironment;

namespace Conductor.Executor.Tests.JobEnvironment;

public sealed class ExecutorOptionsTests
{
    private static ExecutorOptions Read(Dictionary<string, string> environment) => ExecutorOptions.Read(name => environment.GetValueOrDefault(name));

    private static Dictionary<string, string> Complete() => new()
    {
        ["CAPABILITY"] = "etcd-backup",
        ["CLUSTER_REF"] = "ccs-dev",
        ["STEP_NAME"] = "backup",
        ["RESULT_CONFIGMAP"] = "rc-backup-1",
        ["STEP_PARAMETERS"] = """{"bucket":"b"}""",
    };

    [Fact]
    public void Read_Complete_NoErrorsAndDefaults()
    {
        var options = Read(Complete());

        Assert.Empty(options.Errors);
        Assert.Equal("ont-system", options.Namespace);
        Assert.Equal("/var/run/secrets/kubeconfig/value", options.TargetKubeconfigPath);
        Assert.Equal("/var/run/secrets/talosconfig/talosconfig", options.TalosconfigPath);
        Assert.Equal("b", (string?)options.StepParameters!["bucket"]);
        Assert.Equal("/var/run/secrets/seam-signing-public", options.TrustedKeysDirectory);
        Assert.Equal(TimeSpan.FromMinutes(5), options.ReadyTimeout);
    }

    [Fact]
    public void Read_TrustedKeysAndReadyTimeoutSet_UsesThem()
    {
        var environment = Complete();
        environment["SIGNING_PUBLIC_KEYS_DIR"] = "/keys";
        environment["PACK_READY_TIMEOUT_SECONDS"] = "42";

        var options = Read(environment);

        Assert.Empty(options.Errors);
        Assert.Equal("/keys", options.TrustedKeysDirectory);
        Assert.Equal(TimeSpan.FromSeconds(42), options.ReadyTimeout);
    }

    [Theory]
    [InlineData("SIGNING_PUBLIC_KEYS_DIR", "keys", "SIGNING_PUBLIC_KEYS_DIR must be an absolute directory path")]
    [InlineData("PACK_READY_TIMEOUT_SECONDS", "0", "PACK_READY_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 3600; got '0'")]
    [InlineData("PACK_READY_TIMEOUT_SECONDS", "1.5", "PACK_READY_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 3600; got '1.5'")]
    [InlineData("PACK_READY_TIMEOUT_SECONDS", "3601", "PACK_READY_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 3600; got '3601'")]
    public void Read_BadKnob_ReportsTheVariableAndRule(string name, string value, string expected)
    {
        var environment = Complete();
        environment[name] = value;

        var options = Read(environment);

        Assert.StartsWith(expected, Assert.Single(options.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NothingSet_ReportsEveryRequiredVariable()
    {
        var options = Read([]);

        Assert.Equal(4, options.Errors.Count);
        foreach (var name in new[] { "CAPABILITY", "CLUSTER_REF", "STEP_NAME", "RESULT_CONFIGMAP" })
        {
            Assert.Contains(options.Errors, e => e.StartsWith($"{name} is required", StringComparison.Ordinal));
        }
        Assert.Empty(options.StepParameters!);
    }

    [Theory]
    [InlineData("[1]", "must be a JSON object")]
    [InlineData("{bucket:", "is not valid JSON")]
    public void Read_BadParameters_ErrorNamesVariable(string parameters, string rule)
    {
        var environment = Complete();
        environment["STEP_PARAMETERS"] = parameters;

        var error = Assert.Single(Read(environment).Errors);

        Assert.StartsWith($"STEP_PARAMETERS {rule}", error, StringComparison.Ordinal);
    }
}
