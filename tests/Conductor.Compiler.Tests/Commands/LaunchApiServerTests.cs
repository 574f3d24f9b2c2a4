using Conductor.Compiler.Commands;
using Conductor.TestSupport.Kubernetes;
using Conductor.TestSupport;
using k8s.Models;
using k8s;

namespace Conductor.Compiler.Tests.Commands;

/// <summary>The acceptance check of the issue: every CRD file `compiler launch` writes is accepted by the real API server.</summary>
[Collection(KubeCollection.Name)]
public sealed class LaunchApiServerTests(KubeFixture kube)
{
    [Fact]
    public async Task Handler_WrittenCrdFiles_AcceptedAndEstablishedByApiServer()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TemporaryDirectory();
        var parseResult = CompilerCommandLine.Build().Parse(["launch", "--output", temp.Path]);
        Assert.Equal(ExitCodes.Success, await Launch.Handler(TextWriter.Null, TextWriter.Null, parseResult, ct));

        var files = Directory.GetFiles(temp.Path, "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml").Order().ToList();
        Assert.Equal(22, files.Count);
        foreach (var file in files)
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file, ct));
            await CrdInstaller.ApplyAsync(kube.Client, crd, ct);
            await CrdInstaller.WaitEstablishedAsync(kube.Client, crd.Metadata.Name, ct);

            var served = await kube.Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name, cancellationToken: ct);
            Assert.Equal(crd.Spec.Names.ShortNames ?? [], served.Spec.Names.ShortNames ?? []);
            Assert.NotNull(served.Spec.Versions.Single().Subresources.Status);
        }
    }
}
