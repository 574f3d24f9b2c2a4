using Conductor.Compiler.Packs;
using Conductor.Compiler.Packs.Split;

namespace Conductor.Compiler.Tests.Packs.Split;

public sealed class ManifestParserTests
{
    private const string ServiceAccount = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n  namespace: ns";
    private const string Deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: ns\nspec:\n  replicas: 1";

    [Fact]
    public void Parse_TwoDocuments_KeepsEachDocumentsTextKindNameAndNamespace()
    {
        var manifests = ManifestParser.Parse($"{ServiceAccount}\n---\n{Deployment}\n", "m.yaml");

        Assert.Equal([new Manifest("ServiceAccount", "sa", "ns", ServiceAccount), new Manifest("Deployment", "web", "ns", Deployment)], manifests);
    }

    [Fact]
    public void Parse_BlankAndCommentOnlyDocumentsBetweenSeparators_Skipped()
    {
        var manifests = ManifestParser.Parse($"---\n{ServiceAccount}\n---\n\n---\n# only a comment\n---\n{Deployment}\n---\n", "m.yaml");

        Assert.Equal(["ServiceAccount", "Deployment"], manifests.Select(m => m.Kind));
    }

    [Fact]
    public void Parse_CommentsInsideADocument_Kept()
    {
        var text = "apiVersion: v1\nkind: ConfigMap\n# why this is here\nmetadata:\n  name: c # trailing\ndata:\n  a: b";

        Assert.Equal(text, Assert.Single(ManifestParser.Parse($"# header\n---\n{text}\n", "m.yaml")).Text);
    }

    [Fact]
    public void Parse_CrLfLineEndings_TextUsesLf()
    {
        var manifest = Assert.Single(ManifestParser.Parse(ServiceAccount.Replace("\n", "\r\n") + "\r\n", "m.yaml"));

        Assert.Equal(ServiceAccount, manifest.Text);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    public void Parse_HelmHookAnnotated_Dropped(int hooks, int kept)
    {
        var hook = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: hook{0}\n  annotations:\n    helm.sh/hook: pre-install";
        var documents = Enumerable.Range(0, hooks).Select(i => string.Format(hook, i)).ToList();
        if (kept == 1)
        {
            documents.Add(Deployment);
        }

        var manifests = ManifestParser.Parse(string.Join("\n---\n", documents), "m.yaml");

        Assert.Equal(kept, manifests.Count);
    }

    [Fact]
    public void Parse_JobWithoutHookAnnotation_Kept()
    {
        var job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    other: x";

        Assert.Equal("Job", Assert.Single(ManifestParser.Parse(job, "m.yaml")).Kind);
    }

    [Fact]
    public void Parse_DocumentNotAMapping_ErrorNamesFileAndLine()
    {
        var ex = Assert.Throws<PackBuildException>(() => ManifestParser.Parse($"{ServiceAccount}\n---\n- a\n- b\n", "m.yaml"));

        Assert.Equal("m.yaml:7:1: a manifest must be a mapping (a Kubernetes object): remove or fix this document", Assert.Single(ex.Problems).ToString());
    }

    [Fact]
    public void Parse_MissingKindAndName_EveryProblemReported()
    {
        var ex = Assert.Throws<PackBuildException>(() => ManifestParser.Parse("apiVersion: v1\nmetadata: {}\n", "m.yaml"));

        Assert.Equal(["kind", "metadata.name"], ex.Problems.Select(p => p.Field));
    }
}
