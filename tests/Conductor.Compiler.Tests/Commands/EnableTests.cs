using Conductor.Compiler.Tests.Golden;
using Conductor.Signing;
using Conductor.TestSupport;
using Conductor.TestSupport.Randomness;

namespace Conductor.Compiler.Tests.Commands;

public sealed class EnableTests
{
    private const string SigningKeyFile = "04-conductor/conductor-signing-key.yaml";

    public static TheoryData<string> Cases() => [.. GoldenDirectory.Cases("enable")];

    private static string CaseDirectory(string name) => Path.Combine(GoldenDirectory.TestData, "enable", name);

    private static string[] CaseArgs(string name, string output) =>
    [
        "enable", "--output", output,
        .. File.ReadAllLines(Path.Combine(CaseDirectory(name), "args"))
            .Where(line => line.Length > 0)
            .Select(line => line.Replace("{case}", CaseDirectory(name), StringComparison.Ordinal)),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Handler_GoldenCase_WritesExpectedBytes(string name)
    {
        using var output = new TemporaryDirectory();
        var run = await CommandRun.InvokeAsync(new DeterministicRandomSource($"enable-{name}"), CaseArgs(name, output.Path));

        Assert.True(run.ExitCode == 0, run.Stderr);
        GoldenDirectory.AssertMatches(CaseDirectory(name), output.Path);
    }

    [Fact]
    public async Task Handler_SameFlagsTwice_OnlyGeneratedKeyDiffers()
    {
        using var first = new TemporaryDirectory();
        using var second = new TemporaryDirectory();
        Assert.Equal(0, (await CommandRun.InvokeAsync(null, CaseArgs("management", first.Path))).ExitCode);
        Assert.Equal(0, (await CommandRun.InvokeAsync(null, CaseArgs("management", second.Path))).ExitCode);

        var files = GoldenDirectory.Files(first.Path);
        Assert.Equal(files, GoldenDirectory.Files(second.Path));
        foreach (var file in files.Where(f => f != SigningKeyFile))
        {
            Assert.Equal(File.ReadAllText(Path.Combine(first.Path, file)), File.ReadAllText(Path.Combine(second.Path, file)));
        }
        Assert.NotEqual(File.ReadAllText(Path.Combine(first.Path, SigningKeyFile)), File.ReadAllText(Path.Combine(second.Path, SigningKeyFile)));
    }

    [Fact]
    public async Task Handler_Management_PhaseDirectoriesInApplyOrderEachWithMeta()
    {
        using var output = new TemporaryDirectory();
        Assert.Equal(0, (await CommandRun.InvokeAsync(null, [.. CaseArgs("management-capi-given-key", output.Path)])).ExitCode);

        var directories = Directory.GetDirectories(output.Path).Select(Path.GetFileName).ToList();
        Assert.Equal(
            ["00-infrastructure-dependencies", "00b-capi-prerequisites", "01-guardian-bootstrap", "02-guardian-deploy",
             "03-platform-dispatcher", "04-conductor", "05-post-bootstrap"],
            directories.Order(StringComparer.Ordinal));
        foreach (var directory in directories)
        {
            var meta = File.ReadAllText(Path.Combine(output.Path, directory!, "phase-meta.yaml"));
            Assert.Contains("readinessGate:", meta);
            Assert.Contains("applyOrder:", meta);
        }
    }

    [Fact]
    public async Task Handler_OutputPublicKey_WritesKeyOfTheSigningSecret()
    {
        using var output = new TemporaryDirectory();
        var publicKeyPath = Path.Combine(output.Path, "keys", "signing.pub.pem");
        var run = await CommandRun.InvokeAsync(new DeterministicRandomSource("pub"),
            [.. CaseArgs("management", Path.Combine(output.Path, "bundle")), "--output-public-key", publicKeyPath]);

        Assert.Equal(0, run.ExitCode);
        var written = Ed25519PublicKey.FromPem(File.ReadAllText(publicKeyPath));
        Assert.Contains(written.KeyId, run.Stdout);
        Assert.Contains(written.ExportPem().Split('\n')[1], File.ReadAllText(Path.Combine(output.Path, "bundle", SigningKeyFile)));
    }

    [Fact]
    public async Task Handler_GivenPrivateKey_SecretHoldsThatKey()
    {
        using var output = new TemporaryDirectory();
        Assert.Equal(0, (await CommandRun.InvokeAsync(null, CaseArgs("management-capi-given-key", output.Path))).ExitCode);

        var key = Ed25519PrivateKey.FromPem(File.ReadAllText(Path.Combine(CaseDirectory("management-capi-given-key"), "signing.pem")));
        var secret = File.ReadAllText(Path.Combine(output.Path, SigningKeyFile));
        Assert.Contains(key.ExportPem().Split('\n')[1], secret);
        Assert.Contains(key.PublicKey.ExportPem().Split('\n')[1], secret);
    }

    [Fact]
    public async Task Handler_Tenant_NoPrivateKeyAndOnlyAgentPhases()
    {
        using var output = new TemporaryDirectory();
        Assert.Equal(0, (await CommandRun.InvokeAsync(null, CaseArgs("tenant", output.Path))).ExitCode);

        Assert.Equal(["00-infrastructure-dependencies", "04-conductor"],
            Directory.GetDirectories(output.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var secret = File.ReadAllText(Path.Combine(output.Path, SigningKeyFile));
        Assert.DoesNotContain("private.pem", secret);
        Assert.Contains("BEGIN PUBLIC KEY", secret);
        Assert.Contains("value: tenant", File.ReadAllText(Path.Combine(output.Path, "04-conductor/conductor-deployment.yaml")));
    }

    public static TheoryData<string[], string> BadInputs() => new()
    {
        { ["--cluster-name", "c1", "--cluster-role", "foo"], "--cluster-role: must be 'management' or 'tenant'; got 'foo'" },
        { ["--cluster-name", "CCS_Mgmt"], "--cluster-name: 'CCS_Mgmt' must be a DNS-1123 label" },
        { ["--cluster-name", "c1", "--registry", "https://registry.example.com/"], "--registry: 'https://registry.example.com/' must be an image prefix" },
        { ["--cluster-name", "c1", "--version", "-bad"], "--version: '-bad' must be an image tag" },
        { ["--cluster-name", "c1", "--cluster-role", "tenant"], "--management-signing-public-key: required for --cluster-role tenant" },
        { ["--cluster-name", "c1", "--cluster-role", "tenant", "--signing-private-key", "k.pem"], "--signing-private-key: not allowed with --cluster-role tenant" },
        { ["--cluster-name", "c1", "--cluster-role", "tenant", "--output-public-key", "p.pem"], "--output-public-key: not allowed with --cluster-role tenant" },
        { ["--cluster-name", "c1", "--cluster-role", "tenant", "--capi"], "--capi: Cluster API runs on the management cluster only" },
        { ["--cluster-name", "c1", "--cluster-role", "tenant", "--management-endpoint", "no-port"], "--management-endpoint: 'no-port' must be host:port" },
        { ["--cluster-name", "c1", "--signing-private-key", "/nonexistent/key.pem"], "--signing-private-key /nonexistent/key.pem: cannot read the file" },
        { ["--cluster-name", "c1", "--signing-private-key", "{case}/upstream.sha256"], "a PKCS#8 PEM Ed25519 key" },
        { ["--cluster-name", "c1", "--management-endpoint", "h:1"], "--management-endpoint: not allowed with --cluster-role management" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Handler_BadInput_Exit1NamingFlagAndRuleNothingWritten(string[] flags, string message)
    {
        using var parent = new TemporaryDirectory();
        var caseDirectory = CaseDirectory("management");
        string[] args =
        [
            "enable", "--output", Path.Combine(parent.Path, "bundle"), "--upstream-checksums", Path.Combine(caseDirectory, "upstream.sha256"),
            .. flags.Select(flag => flag.Replace("{case}", caseDirectory, StringComparison.Ordinal)),
        ];

        var run = await CommandRun.InvokeAsync(null, args);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(parent.Path));
    }

    [Fact]
    public async Task Handler_SeveralBadFlags_ReportsEveryError()
    {
        using var parent = new TemporaryDirectory();
        var run = await CommandRun.InvokeAsync(null,
            "enable", "--output", Path.Combine(parent.Path, "b"), "--cluster-name", "Bad_Name", "--registry", "https://x/", "--version", "-x");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--cluster-name", run.Stderr);
        Assert.Contains("--registry", run.Stderr);
        Assert.Contains("--version", run.Stderr);
        Assert.Contains("--upstream-checksums: no SHA-256 for cnpg-operator", run.Stderr);
        Assert.Contains("nothing was written", run.Stderr);
    }

    [Fact]
    public async Task Handler_MalformedChecksumLine_NamesFileAndLine()
    {
        using var parent = new TemporaryDirectory();
        var sums = Path.Combine(parent.Path, "sums");
        await File.WriteAllTextAsync(sums, "not-a-digest https://example.com/x.yaml\n", TestContext.Current.CancellationToken);

        var run = await CommandRun.InvokeAsync(null, "enable", "--output", Path.Combine(parent.Path, "b"), "--cluster-name", "c1", "--upstream-checksums", sums);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{sums}:1: expected '<sha256 as 64 hex digits>  <url>'", run.Stderr);
        Assert.False(Directory.Exists(Path.Combine(parent.Path, "b")));
    }

    [Fact]
    public async Task Handler_OutputBelowAFile_Exit1NothingWritten()
    {
        using var parent = new TemporaryDirectory();
        var file = Path.Combine(parent.Path, "file");
        await File.WriteAllTextAsync(file, "x", TestContext.Current.CancellationToken);

        var run = await CommandRun.InvokeAsync(null, CaseArgs("management", Path.Combine(file, "bundle")));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cannot write the bundle", run.Stderr);
        Assert.Equal([file], Directory.GetFileSystemEntries(parent.Path));
    }

    [Fact]
    public async Task Handler_MissingClusterName_Exit2()
    {
        using var parent = new TemporaryDirectory();
        var run = await CommandRun.InvokeAsync(null, "enable", "--output", parent.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--cluster-name", run.Stderr);
    }
}
