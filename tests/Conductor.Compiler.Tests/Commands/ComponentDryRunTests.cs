using System.Net;
using System.Text.RegularExpressions;
using Conductor.Compiler.Tests.Golden;
using Conductor.Compiler.Tests.Kubernetes;
using Conductor.TestSupport;
using Conductor.TestSupport.Kubernetes;
using YamlDotNet.RepresentationModel;

namespace Conductor.Compiler.Tests.Commands;

/// <summary>
/// Every PermissionSet and RBACProfile <c>compiler component</c> writes is accepted by the real kube-apiserver with
/// the guardian CRDs that <c>compiler launch</c> generates installed (server-side apply, dryRun=All).
/// </summary>
[Collection(KubeCollection.Name)]
public sealed partial class ComponentDryRunTests(KubeFixture kube) : IAsyncLifetime
{
    private readonly TestNamespace _namespace = new(kube);

    public ValueTask InitializeAsync() => _namespace.InitializeAsync();

    public ValueTask DisposeAsync() => _namespace.DisposeAsync();

    public static TheoryData<string> Cases() => [.. GoldenDirectory.Cases("component")];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Handler_EveryObject_AcceptedByServerSideDryRun(string name)
    {
        var caseDirectory = Path.Combine(GoldenDirectory.TestData, "component", name);
        using var output = new TemporaryDirectory();
        string[] args =
        [
            "component", "--output", output.Path,
            .. File.ReadAllLines(Path.Combine(caseDirectory, "args")).Where(l => l.Length > 0).Select(l => l.Replace("{case}", caseDirectory, StringComparison.Ordinal)),
        ];
        var run = await CommandRun.InvokeAsync(null, args);
        Assert.True(run.ExitCode == 0, run.Stderr);

        using var dryRun = new ServerSideDryRun(Environment.GetEnvironmentVariable(KubeFixture.KubeconfigVariable)!);
        var failures = new List<string>();
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        var emptyStringRetries = 0;
        foreach (var file in GoldenDirectory.Files(output.Path))
        {
            foreach (var document in DocumentSeparator().Split(File.ReadAllText(Path.Combine(output.Path, file))).Skip(1))
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(document));
                var root = (YamlMappingNode)stream.Documents[0].RootNode;
                var kind = ((YamlScalarNode)root["kind"]).Value!;
                var objectName = ((YamlScalarNode)((YamlMappingNode)root["metadata"])["name"]).Value!;
                var apiVersion = ((YamlScalarNode)root["apiVersion"]).Value!;
                var result = await dryRun.ApplyAsync(apiVersion, kind, objectName, document, _namespace.Name, TestContext.Current.CancellationToken);
                if (IsEmptyStringDefect(result) && document.Contains("- \"\"\n", StringComparison.Ordinal))
                {
                    // The test server (kube-apiserver v1.20.2 built with a current Go) reads every empty string in a custom
                    // resource as null and rejects it; real servers accept the core group "". Check everything else.
                    emptyStringRetries++;
                    result = await dryRun.ApplyAsync(apiVersion, kind, objectName, document.Replace("- \"\"\n", "- core\n", StringComparison.Ordinal),
                        _namespace.Name, TestContext.Current.CancellationToken);
                }
                kinds.Add(kind);
                if (!result.Served || result.Status is not (HttpStatusCode.OK or HttpStatusCode.Created))
                {
                    failures.Add($"{file}: {kind} {objectName}: served={result.Served} {(int)result.Status} {result.Body}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(["PermissionSet", "RBACProfile"], kinds.Order(StringComparer.Ordinal));
        TestContext.Current.TestOutputHelper?.WriteLine($"{emptyStringRetries} PermissionSet(s) re-checked with the core group spelled 'core'.");
    }

    [Fact]
    public async Task ServerSideDryRun_EmptyStringInCustomResource_KnownTestServerDefect()
    {
        // Pins the defect the retry above works around: when a fixed server stops showing it, drop the retry.
        using var dryRun = new ServerSideDryRun(Environment.GetEnvironmentVariable(KubeFixture.KubeconfigVariable)!);
        const string Set = "apiVersion: guardian.ontai.dev/v1alpha1\nkind: PermissionSet\nmetadata:\n  name: empty\n  namespace: x\n" +
                           "spec:\n  permissions:\n  - apiGroups:\n    - \"\"\n    resources:\n    - pods\n    verbs:\n    - get\n";

        var result = await dryRun.ApplyAsync("guardian.ontai.dev/v1alpha1", "PermissionSet", "empty", Set, _namespace.Name, TestContext.Current.CancellationToken);

        Assert.True(IsEmptyStringDefect(result), $"{(int)result.Status} {result.Body}");
    }

    private static bool IsEmptyStringDefect(ServerSideDryRun.Result result) =>
        result.Status == HttpStatusCode.UnprocessableEntity && result.Body.Contains("must be of type string: \\\"null\\\"", StringComparison.Ordinal);

    [Fact]
    public async Task ServerSideDryRun_ProfileWithBadScope_IsRejected()
    {
        using var dryRun = new ServerSideDryRun(Environment.GetEnvironmentVariable(KubeFixture.KubeconfigVariable)!);
        const string Profile = "apiVersion: guardian.ontai.dev/v1alpha1\nkind: RBACProfile\nmetadata:\n  name: bad\n  namespace: x\n" +
                               "spec:\n  principalRef: p\n  targetClusters: [c]\n  rbacPolicyRef: r\n  permissionDeclarations:\n" +
                               "  - permissionSetRef: s\n    scope: everywhere\n";

        var result = await dryRun.ApplyAsync("guardian.ontai.dev/v1alpha1", "RBACProfile", "bad", Profile, _namespace.Name, TestContext.Current.CancellationToken);

        Assert.True(result.Served);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, result.Status);
        Assert.Contains("scope", result.Body);
    }

    [GeneratedRegex("(?m)^---\n")]
    private static partial Regex DocumentSeparator();
}
