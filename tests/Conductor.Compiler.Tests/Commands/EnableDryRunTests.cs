using System.Net;
using Conductor.Compiler.Tests.Golden;
using Conductor.Compiler.Tests.Kubernetes;
using Conductor.TestSupport;
using Conductor.TestSupport.Kubernetes;
using Conductor.TestSupport.Randomness;
using YamlDotNet.RepresentationModel;

namespace Conductor.Compiler.Tests.Commands;

/// <summary>
/// Every object <c>compiler enable</c> writes is valid against the real kube-apiserver: server-side apply with
/// dryRun=All after the Seam CRDs are installed. The 1.20 test server does not serve cert-manager, CNPG or Kueue
/// (and no Cluster API), so objects of those groups are checked structurally here instead.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class EnableDryRunTests(KubeFixture kube) : IAsyncLifetime
{
    private static readonly IReadOnlyDictionary<string, string[]> Unserved = new Dictionary<string, string[]>
    {
        ["cert-manager.io/v1 Issuer"] = [],
        ["cert-manager.io/v1 Certificate"] = ["secretName", "issuerRef"],
        ["postgresql.cnpg.io/v1 Cluster"] = ["instances", "storage", "bootstrap", "resources"],
        ["kueue.x-k8s.io/v1beta1 ResourceFlavor"] = [],
        ["kueue.x-k8s.io/v1beta1 ClusterQueue"] = ["namespaceSelector", "resourceGroups"],
        ["kueue.x-k8s.io/v1beta1 LocalQueue"] = ["clusterQueue"],
    };

    private readonly TestNamespace _namespace = new(kube);

    public ValueTask InitializeAsync() => _namespace.InitializeAsync();

    public ValueTask DisposeAsync() => _namespace.DisposeAsync();

    public static TheoryData<string> Cases() => [.. GoldenDirectory.Cases("enable")];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Handler_EveryObject_AcceptedByServerSideDryRun(string name)
    {
        var caseDirectory = Path.Combine(GoldenDirectory.TestData, "enable", name);
        using var output = new TemporaryDirectory();
        string[] args =
        [
            "enable", "--output", output.Path,
            .. File.ReadAllLines(Path.Combine(caseDirectory, "args")).Where(l => l.Length > 0).Select(l => l.Replace("{case}", caseDirectory, StringComparison.Ordinal)),
        ];
        var run = await CommandRun.InvokeAsync(new DeterministicRandomSource(name), args);
        Assert.True(run.ExitCode == 0, run.Stderr);

        using var dryRun = new ServerSideDryRun(Environment.GetEnvironmentVariable(KubeFixture.KubeconfigVariable)!);
        var failures = new List<string>();
        var applied = 0;
        foreach (var file in GoldenDirectory.Files(output.Path))
        {
            foreach (var document in Documents(File.ReadAllText(Path.Combine(output.Path, file))))
            {
                var root = (YamlMappingNode)Load(document);
                var apiVersion = Scalar(root, "apiVersion");
                var kind = Scalar(root, "kind");
                var objectName = Scalar((YamlMappingNode)root["metadata"], "name");
                var result = await dryRun.ApplyAsync(apiVersion, kind, objectName, document, _namespace.Name, TestContext.Current.CancellationToken);
                if (!result.Served)
                {
                    CheckStructurally(file, apiVersion, kind, objectName, root, failures);
                    continue;
                }
                applied++;
                if (result.Status is not (HttpStatusCode.OK or HttpStatusCode.Created))
                {
                    failures.Add($"{file}: {kind} {objectName}: {(int)result.Status} {result.Body}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(applied > 10, $"only {applied} objects were dry-run applied");
    }

    [Fact]
    public async Task ServerSideDryRun_InvalidObject_IsRejected()
    {
        using var dryRun = new ServerSideDryRun(Environment.GetEnvironmentVariable(KubeFixture.KubeconfigVariable)!);
        const string Deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bad\n  namespace: x\nspec:\n  replicas: 1\n" +
                                  "  selector:\n    matchLabels: {a: b}\n  template:\n    metadata:\n      labels: {a: c}\n" +
                                  "    spec:\n      containers:\n      - name: c\n        image: i\n";

        var result = await dryRun.ApplyAsync("apps/v1", "Deployment", "bad", Deployment, _namespace.Name, TestContext.Current.CancellationToken);

        Assert.True(result.Served);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, result.Status);
        Assert.Contains("selector", result.Body);
    }

    private static void CheckStructurally(string file, string apiVersion, string kind, string name, YamlMappingNode root, List<string> failures)
    {
        if (!Unserved.TryGetValue($"{apiVersion} {kind}", out var requiredSpec))
        {
            failures.Add($"{file}: {apiVersion} {kind} {name} is neither served by the test server nor a known unserved kind");
            return;
        }
        if (!root.Children.TryGetValue(new YamlScalarNode("spec"), out var spec) || spec is not YamlMappingNode specMap)
        {
            failures.Add($"{file}: {kind} {name} has no spec mapping");
            return;
        }
        foreach (var field in requiredSpec.Where(field => !specMap.Children.ContainsKey(new YamlScalarNode(field))))
        {
            failures.Add($"{file}: {kind} {name}: spec.{field} is required");
        }
    }

    private static IEnumerable<string> Documents(string text) =>
        System.Text.RegularExpressions.Regex.Split(text, "(?m)^---\n").Skip(1).Where(chunk => chunk.Trim().Length > 0);

    private static YamlNode Load(string document)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(document));
        return stream.Documents[0].RootNode;
    }

    private static string Scalar(YamlMappingNode map, string key) => ((YamlScalarNode)map[key]).Value!;
}
