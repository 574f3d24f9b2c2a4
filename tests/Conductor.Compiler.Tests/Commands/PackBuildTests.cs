using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Conductor.Compiler.Tests.Golden;
using Conductor.Resources.Dispatcher;
using Conductor.TestSupport;
using Conductor.TestSupport.Network;
using Conductor.TestSupport.Registry;
using k8s;

namespace Conductor.Compiler.Tests.Commands;

public sealed partial class PackBuildTests(PackRegistryFixture fixture) : IClassFixture<PackRegistryFixture>
{
    private const string RegistryPlaceholder = "{registry}";
    private static readonly string[] LayerSuffixes = ["rbac", "cluster-scoped", "workload"];

    private string Registry => fixture.Registry.Address;

    public static TheoryData<string> Cases() => [.. GoldenDirectory.Cases("packbuild")];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Handler_GoldenCase_WritesExpectedPackDeliveryAndPushesExpectedLayers(string name)
    {
        using var work = new TemporaryDirectory();
        var input = PrepareCase(name, work.Path);
        var output = Path.Combine(work.Path, "out");

        var run = await PackBuildRun.InvokeAsync(input, output);

        Assert.True(run.ExitCode == 0, run.Stderr);
        using var actual = new TemporaryDirectory();
        foreach (var file in Directory.GetFiles(output))
        {
            var text = File.ReadAllText(file).Replace(Registry, RegistryPlaceholder, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(actual.Path, Path.GetFileName(file)), text);
            await WritePushedLayersAsync(ReadDelivery(file), Path.Combine(actual.Path, "pushed"));
        }
        GoldenDirectory.AssertMatches(Path.Combine(GoldenDirectory.TestData, "packbuild", name), actual.Path);
    }

    [Fact]
    public async Task Handler_RawFixture_RecordsTheDigestsSkopeoReadsBack()
    {
        using var work = new TemporaryDirectory();
        var input = PrepareCase("raw-fixture-minio", work.Path);
        var output = Path.Combine(work.Path, "out");

        var run = await PackBuildRun.InvokeAsync(input, output);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var delivery = ReadDelivery(Path.Combine(output, "minio-raw-v0.1.0-r1.yaml"));
        Assert.Equal("PackDelivery", delivery.Kind);
        Assert.Equal("seam.ontai.dev/v1alpha1", delivery.ApiVersion);
        Assert.Equal("seam-tenant-management", delivery.Metadata.NamespaceProperty);
        Assert.Equal($"{Registry}/ontai-dev/packs/minio-raw", delivery.Spec.RegistryRef.Url);
        Assert.Equal(["management"], delivery.Spec.TargetClusters);
        Assert.Equal("minio-release-v0.1.0", delivery.Spec.SourceBuildRef);
        Assert.Equal("minio-raw", delivery.Spec.BasePackName);

        var repository = "ontai-dev/packs/minio-raw";
        var rbac = await PushedLayers.ReadAsync(Registry, repository, "v0.1.0-r1-rbac");
        var clusterScoped = await PushedLayers.ReadAsync(Registry, repository, "v0.1.0-r1-cluster-scoped");
        var workload = await PushedLayers.ReadAsync(Registry, repository, "v0.1.0-r1-workload");
        Assert.Equal(rbac.ManifestDigest, delivery.Spec.RbacDigest);
        Assert.Equal(clusterScoped.ManifestDigest, delivery.Spec.ClusterScopedDigest);
        Assert.Equal(workload.ManifestDigest, delivery.Spec.WorkloadDigest);
        Assert.Equal(workload.ManifestDigest, delivery.Spec.RegistryRef.Digest);
        Assert.Equal(Sha256Hex(rbac.ManifestsYaml + clusterScoped.ManifestsYaml + workload.ManifestsYaml), delivery.Spec.Checksum);
        foreach (var layer in new[] { rbac, clusterScoped, workload })
        {
            Assert.Equal("application/vnd.seam.ontai.dev.pack.layer.v1", layer.ArtifactType);
            Assert.Equal("application/vnd.oci.image.layer.v1.tar+gzip", layer.LayerMediaType);
            Assert.Equal(["manifests.yaml"], layer.Files);
        }
        Assert.Contains(delivery.Spec.WorkloadDigest!, run.Stdout);
    }

    [Fact]
    public async Task Handler_SameManifestsTwice_SameDigests()
    {
        using var first = new TemporaryDirectory();
        using var second = new TemporaryDirectory();
        var firstInput = PrepareCase("raw-rbac-namespace-synthesis", first.Path);
        var secondInput = PrepareCase("raw-rbac-namespace-synthesis", second.Path);
        // Different timestamps on the second copy: they must not reach the layer bytes.
        foreach (var file in Directory.GetFiles(Path.Combine(second.Path, "manifests")))
        {
            File.SetLastWriteTimeUtc(file, new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        }

        var one = await PackBuildRun.InvokeAsync(firstInput, Path.Combine(first.Path, "out"));
        var two = await PackBuildRun.InvokeAsync(secondInput, Path.Combine(second.Path, "out"));

        Assert.True(one.ExitCode == 0 && two.ExitCode == 0, one.Stderr + two.Stderr);
        var a = ReadDelivery(Path.Combine(first.Path, "out", "ingress-nginx-v4.10.0-r1.yaml")).Spec;
        var b = ReadDelivery(Path.Combine(second.Path, "out", "ingress-nginx-v4.10.0-r1.yaml")).Spec;
        Assert.Equal((a.RbacDigest, a.ClusterScopedDigest, a.WorkloadDigest, a.Checksum), (b.RbacDigest, b.ClusterScopedDigest, b.WorkloadDigest, b.Checksum));
        Assert.StartsWith("sha256:", a.RbacDigest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_Prebuilt_MakesNoNetworkCall()
    {
        await using var server = LoopbackHttpServer.AlwaysStatus(HttpStatusCode.InternalServerError);
        using var work = new TemporaryDirectory();
        var input = Write(work, $"""
            name: my-pack
            version: v1.2.3
            registryUrl: {server.Address}/packs/my-pack
            digest: sha256:{new string('a', 64)}
            """);

        var run = await PackBuildRun.InvokeAsync(input, Path.Combine(work.Path, "out"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(0, server.Requests);
        var text = File.ReadAllText(Path.Combine(work.Path, "out", "my-pack.yaml"));
        Assert.Contains("namespace: seam-system", text);
        Assert.DoesNotContain("chartURL:", text);
        Assert.DoesNotContain("chartVersion:", text);
        Assert.DoesNotContain("chartName:", text);
        Assert.DoesNotContain("helmVersion:", text);
    }

    [Theory]
    [InlineData("docs-configs-packbuild-helm.yaml", "helmSource")]
    [InlineData("docs-configs-packbuild-kustomize.yaml", "kustomizeSource")]
    public async Task Handler_HelmOrKustomizeFixture_NotYetSupportedAndNothingWritten(string fixtureName, string field)
    {
        using var work = new TemporaryDirectory();
        var output = Path.Combine(work.Path, "out");
        var fixturePath = SharedFixtures.PathOf(fixtureName);

        var run = await PackBuildRun.InvokeAsync(fixturePath, output);

        Assert.Equal(1, run.ExitCode);
        Assert.Matches($@"{Regex.Escape(fixturePath)}:\d+:\d+: {field}: {field} is not yet supported", run.Stderr);
        AssertNothingWritten(work, output);
    }

    public static TheoryData<string, string, string[]> BadInputs() => new()
    {
        { "malformed YAML", "name: p\nversion: [v1\n", ["input.yaml:3:1: malformed YAML"] },
        { "unknown field", Raw + "registryURL: x\n", ["input.yaml:6:1: registryURL: unknown field 'registryURL'", "did you mean 'registryUrl'"] },
        { "unknown nested field", Raw + "  recursive: true\n", ["input.yaml:6:3: rawSource.recursive: unknown field 'recursive'", "RawSource schema"] },
        { "list given a scalar", Raw + "targetClusters: ccs-mgmt\n", ["input.yaml:6:17: targetClusters: must be a list"] },
        { "two documents", Raw + "---\nname: q\n", ["2 YAML documents"] },
        { "missing name", Raw.Replace("name: p\n", ""), ["input.yaml: name: is required"] },
        { "missing version", Raw.Replace("version: v1\n", ""), ["input.yaml: version: is required"] },
        { "raw missing registryUrl", Raw.Replace("registryUrl: 127.0.0.1:1/packs/p\n", ""), ["registryUrl: registryUrl is required when rawSource is set"] },
        { "prebuilt missing registryUrl and digest", "name: p\nversion: v1\n", ["registryUrl: registryUrl is required:", "digest: digest is required"] },
        { "unknown category", Raw + "category: banana\n", ["input.yaml:6:1: category: 'banana' is not a category"] },
        { "helm category without helmSource", Raw + "category: helm\n", ["helmSource: is required when category is helm", "rawSource: does not match category helm"] },
        { "raw category without rawSource", "name: p\nversion: v1\nregistryUrl: 127.0.0.1:1/p\ncategory: raw\n", ["rawSource: is required when category is raw"] },
        { "kustomize category without kustomizeSource", "name: p\nversion: v1\nregistryUrl: 127.0.0.1:1/p\ncategory: kustomize\n", ["kustomizeSource: is required when category is kustomize"] },
        { "raw category with helmSource", Raw + "category: raw\nhelmSource:\n  url: http://x/c.tgz\n", ["input.yaml:7:1: helmSource: does not match category raw"] },
        { "values file missing", Raw + "valuesFile: values/missing.yaml\n", ["input.yaml:6:1: valuesFile: values file", "missing.yaml' does not exist"] },
        { "raw empty path", Raw.Replace("path: manifests", "path: \"\""), ["input.yaml:5:3: rawSource.path: rawSource.path is required"] },
        { "raw directory missing", Raw.Replace("path: manifests", "path: nowhere"), ["input.yaml:5:3: rawSource.path: directory", "nowhere' does not exist"] },
        { "raw directory without YAML", Raw.Replace("path: manifests", "path: empty"), ["input.yaml:5:3: rawSource.path: no YAML files found in"] },
        { "digest given on the raw path", Raw + "digest: sha256:" + new string('a', 64) + "\n", ["input.yaml:6:1: digest: is computed when rawSource is set"] },
        { "prebuilt digest malformed", "name: p\nversion: v1\nregistryUrl: 127.0.0.1:1/p\ndigest: sha256:abc\n", ["input.yaml:4:1: digest: 'sha256:abc' is not an OCI manifest digest"] },
        { "registryUrl with scheme", Raw.Replace("127.0.0.1:1/packs/p", "https://registry.example.com/p"), ["input.yaml:3:1: registryUrl: 'https://registry.example.com/p' is not a repository"] },
        { "malformed manifest", Raw.Replace("path: manifests", "path: broken"), ["broken/bad.yaml:3:1: malformed YAML in a manifest"] },
        { "manifest without kind", Raw.Replace("path: manifests", "path: kindless"), ["kindless/cm.yaml:1:1: kind: kind is required"] },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Handler_BadInput_NamesFileFieldAndRuleExit1NothingWritten(string scenario, string yaml, string[] expected)
    {
        using var work = new TemporaryDirectory();
        SeedDirectories(work);
        var input = Write(work, yaml);
        var output = Path.Combine(work.Path, "out");

        var run = await PackBuildRun.InvokeAsync(input, output);

        Assert.True(run.ExitCode == 1, $"{scenario}: exit {run.ExitCode}: {run.Stderr}");
        foreach (var fragment in expected)
        {
            Assert.Contains(fragment, run.Stderr);
        }
        Assert.Contains("nothing was written to", run.Stderr);
        AssertNothingWritten(work, output);
    }

    [Fact]
    public async Task Handler_UnreachableRegistry_Exit1NothingWritten()
    {
        using var work = new TemporaryDirectory();
        SeedDirectories(work);
        var input = Write(work, Raw.Replace("127.0.0.1:1", $"127.0.0.1:{FreePort.Next()}"));
        var output = Path.Combine(work.Path, "out");

        var run = await PackBuildRun.InvokeAsync(input, output);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("input.yaml:3:1: registryUrl: pushing the rbac layer to 127.0.0.1:", run.Stderr);
        Assert.Contains("(rule: the registry must accept every layer)", run.Stderr);
        AssertNothingWritten(work, output);
    }

    [Fact]
    public async Task Handler_RegistryAnswers401_Exit1NothingWritten()
    {
        await using var registry = await DockerRegistryProcess.StartAsync(new RegistryAuth.Htpasswd("ci", "s3cret"), cancellationToken: TestContext.Current.CancellationToken);
        using var work = new TemporaryDirectory();
        SeedDirectories(work);
        var input = Write(work, Raw.Replace("127.0.0.1:1", registry.Address));
        var output = Path.Combine(work.Path, "out");

        var run = await PackBuildRun.InvokeAsync(input, output);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("input.yaml:3:1: registryUrl: pushing the rbac layer", run.Stderr);
        Assert.Contains("401", run.Stderr);
        Assert.Contains("no credentials are configured", run.Stderr);
        AssertNothingWritten(work, output);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "not found")]
    [InlineData(HttpStatusCode.InternalServerError, "500")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "503")]
    public async Task Handler_RegistryAnswersError_Exit1NothingWritten(HttpStatusCode status, string said)
    {
        await using var server = LoopbackHttpServer.AlwaysStatus(status);
        using var work = new TemporaryDirectory();
        SeedDirectories(work);
        var input = Write(work, Raw.Replace("127.0.0.1:1", server.Address));
        var output = Path.Combine(work.Path, "out");

        var run = await PackBuildRun.InvokeAsync(input, output);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("input.yaml:3:1: registryUrl: pushing the rbac layer", run.Stderr);
        Assert.Contains(said, run.Stderr);
        Assert.True(server.Requests > 0);
        AssertNothingWritten(work, output);
    }

    [Fact]
    public async Task Handler_BasicAuthFromEnvironment_Pushes()
    {
        await using var registry = await DockerRegistryProcess.StartAsync(new RegistryAuth.Htpasswd("ci", "s3cret"), cancellationToken: TestContext.Current.CancellationToken);
        using var work = new TemporaryDirectory();
        SeedDirectories(work);
        var input = Write(work, Raw.Replace("127.0.0.1:1", registry.Address));

        var run = await PackBuildRun.InvokeAsync(["--input", input, "--output", Path.Combine(work.Path, "out")],
            new Dictionary<string, string> { ["CONDUCTOR_REGISTRY_USERNAME"] = "ci", ["CONDUCTOR_REGISTRY_PASSWORD"] = "s3cret" });

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.True(File.Exists(Path.Combine(work.Path, "out", "p.yaml")));
    }

    [Fact]
    public async Task Handler_BasicAuthPasswordOnStdin_Pushes()
    {
        await using var registry = await DockerRegistryProcess.StartAsync(new RegistryAuth.Htpasswd("ci", "s3cret"), cancellationToken: TestContext.Current.CancellationToken);
        using var work = new TemporaryDirectory();
        SeedDirectories(work);
        var input = Write(work, Raw.Replace("127.0.0.1:1", registry.Address));

        var run = await PackBuildRun.InvokeAsync(
            ["--input", input, "--output", Path.Combine(work.Path, "out"), "--registry-username", "ci", "--registry-password-stdin"],
            stdin: "s3cret\n");

        Assert.True(run.ExitCode == 0, run.Stderr);
    }

    [Fact]
    public async Task Handler_BasicAuthFromDockerConfig_Pushes()
    {
        await using var registry = await DockerRegistryProcess.StartAsync(new RegistryAuth.Htpasswd("ci", "s3cret"), cancellationToken: TestContext.Current.CancellationToken);
        using var work = new TemporaryDirectory();
        SeedDirectories(work);
        var input = Write(work, Raw.Replace("127.0.0.1:1", registry.Address));
        var dockerConfig = Path.Combine(work.Path, "docker");
        Directory.CreateDirectory(dockerConfig);
        File.WriteAllText(Path.Combine(dockerConfig, "config.json"),
            "{\"auths\":{\"" + registry.Address + "\":{\"auth\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes("ci:s3cret")) + "\"}}}");

        var run = await PackBuildRun.InvokeAsync(["--input", input, "--output", Path.Combine(work.Path, "out")],
            new Dictionary<string, string> { ["DOCKER_CONFIG"] = dockerConfig });

        Assert.True(run.ExitCode == 0, run.Stderr);
    }

    [Fact]
    public async Task Handler_OutputBelowRegularFile_Exit1BeforeAnyPush()
    {
        await using var server = LoopbackHttpServer.AlwaysStatus(HttpStatusCode.InternalServerError);
        using var work = new TemporaryDirectory();
        SeedDirectories(work);
        var input = Write(work, Raw.Replace("127.0.0.1:1", server.Address));
        File.WriteAllText(work.File("blocker"), "a file, not a directory");
        var output = Path.Combine(work.Path, "blocker", "out");

        var run = await PackBuildRun.InvokeAsync(input, output);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--output: cannot write the output", run.Stderr);
        Assert.Contains("blocker' is a file", run.Stderr);
        Assert.Equal(0, server.Requests);
        Assert.Equal("a file, not a directory", File.ReadAllText(work.File("blocker")));
    }

    [Fact]
    public async Task Handler_OutputIsAFile_Exit1FileUntouched()
    {
        using var work = new TemporaryDirectory();
        var input = Write(work, $"name: p\nversion: v1\nregistryUrl: 127.0.0.1:1/p\ndigest: sha256:{new string('b', 64)}\n");
        File.WriteAllText(work.File("out"), "keep");

        var run = await PackBuildRun.InvokeAsync(input, work.File("out"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("is a file, not a directory", run.Stderr);
        Assert.Equal("keep", File.ReadAllText(work.File("out")));
    }

    [Fact]
    public async Task InvokeAsync_MissingInput_UsageExit2()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await CompilerCommandLine.InvokeAsync(["packbuild", "--output", "x"], stdout, stderr, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--input", stderr.ToString());
    }

    private const string Raw = """
        name: p
        version: v1
        registryUrl: 127.0.0.1:1/packs/p
        rawSource:
          path: manifests

        """;

    // Directories the bad-input YAML refers to: a good manifest dir, an empty one, one with a broken file and one
    // with a manifest that lacks its kind.
    private static void SeedDirectories(TemporaryDirectory work)
    {
        Directory.CreateDirectory(work.File("manifests"));
        File.WriteAllText(work.File("manifests/sa.yaml"), "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: p\n  namespace: p\n");
        Directory.CreateDirectory(work.File("empty"));
        Directory.CreateDirectory(work.File("broken"));
        File.WriteAllText(work.File("broken/bad.yaml"), "apiVersion: v1\nkind: [ConfigMap\n");
        Directory.CreateDirectory(work.File("kindless"));
        File.WriteAllText(work.File("kindless/cm.yaml"), "apiVersion: v1\nmetadata:\n  name: x\n");
    }

    private static string Write(TemporaryDirectory work, string yaml)
    {
        var path = work.File("input.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static void AssertNothingWritten(TemporaryDirectory work, string output)
    {
        Assert.False(Directory.Exists(output), $"{output} was created");
        Assert.DoesNotContain(Directory.GetFileSystemEntries(work.Path), e => Path.GetFileName(e).Contains("compiler-staging", StringComparison.Ordinal));
    }

    // Copies the case (without its expected tree) into the work directory and points its registry at ours; a case
    // with a 'fixture' file takes its input from ../shared/fixtures with only the registry host replaced.
    private string PrepareCase(string name, string work)
    {
        var caseDirectory = Path.Combine(GoldenDirectory.TestData, "packbuild", name);
        foreach (var file in Directory.GetFiles(caseDirectory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(caseDirectory, file);
            if (relative.StartsWith("expected", StringComparison.Ordinal) || relative == "fixture")
            {
                continue;
            }
            var target = Path.Combine(work, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var fixtureFile = Path.Combine(caseDirectory, "fixture");
        if (File.Exists(fixtureFile))
        {
            var fixtureName = File.ReadAllText(fixtureFile).Trim();
            var input = Path.Combine(work, fixtureName);
            File.WriteAllText(input, RegistryHost().Replace(File.ReadAllText(SharedFixtures.PathOf(fixtureName)), $"registryUrl: {Registry}/"));
            return input;
        }
        var path = Path.Combine(work, "input.yaml");
        File.WriteAllText(path, File.ReadAllText(path).Replace(RegistryPlaceholder, Registry, StringComparison.Ordinal));
        return path;
    }

    private async Task WritePushedLayersAsync(PackDelivery delivery, string directory)
    {
        var prefix = Registry + "/";
        if (!delivery.Spec.RegistryRef.Url.StartsWith(prefix, StringComparison.Ordinal))
        {
            return;
        }
        var repository = delivery.Spec.RegistryRef.Url[prefix.Length..];
        var digests = new[] { delivery.Spec.RbacDigest, delivery.Spec.ClusterScopedDigest, delivery.Spec.WorkloadDigest };
        Directory.CreateDirectory(directory);
        for (var i = 0; i < LayerSuffixes.Length; i++)
        {
            if (digests[i] is null)
            {
                continue;
            }
            var layer = await PushedLayers.ReadAsync(Registry, repository, $"{delivery.Spec.Version}-{LayerSuffixes[i]}");
            Assert.Equal(layer.ManifestDigest, digests[i]);
            File.WriteAllText(Path.Combine(directory, LayerSuffixes[i] + ".yaml"), layer.ManifestsYaml);
        }
    }

    // Through JSON: the models' read-only lists deserialize with System.Text.Json but not with YamlDotNet.
    private static PackDelivery ReadDelivery(string path)
    {
        var tree = new YamlDotNet.Serialization.Deserializer().Deserialize<object>(File.ReadAllText(path));
        var json = new YamlDotNet.Serialization.SerializerBuilder().JsonCompatible().Build().Serialize(tree);
        return KubernetesJson.Deserialize<PackDelivery>(json);
    }

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [GeneratedRegex(@"(?m)^registryUrl: [^/\s]+/")]
    private static partial Regex RegistryHost();
}
