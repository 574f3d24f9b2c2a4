using Conductor.Compiler.Packs;
using Conductor.Compiler.Packs.Input;
using Conductor.TestSupport;

namespace Conductor.Compiler.Tests.Packs.Input;

public sealed class PackBuildInputReaderTests
{
    private static IReadOnlyList<PackBuildProblem> Problems(string yaml)
    {
        using var work = new TemporaryDirectory();
        File.WriteAllText(work.File("pack.yaml"), yaml);
        return Assert.Throws<PackBuildException>(() => PackBuildInputReader.Read(work.File("pack.yaml"))).Problems;
    }

    [Fact]
    public void Read_AllFields_Deserialized()
    {
        using var work = new TemporaryDirectory();
        File.WriteAllText(work.File("pack.yaml"), """
            name: p
            namespace: ns
            version: v1
            registryUrl: r.example.com/p
            targetClusters: [a, b]
            helmSource:
              url: http://x/c.tgz
              chart: c
              registryCredentialsSecret: s
            """);

        var document = PackBuildInputReader.Read(work.File("pack.yaml"));

        Assert.Equal(("p", "ns", "v1", "r.example.com/p"), (document.Input.Name, document.Input.Namespace, document.Input.Version, document.Input.RegistryUrl));
        Assert.Equal(["a", "b"], document.Input.TargetClusters!);
        Assert.Equal("http://x/c.tgz", document.Input.HelmSource!.Url);
        Assert.Equal(7, document.Positions["helmSource.url"].Line);
        Assert.Equal(PackSourceKind.Helm, PackSourceKinds.Resolve(document.Input));
    }

    [Fact]
    public void Read_SeveralUnknownFields_EveryOneReportedWithLineAndPath()
    {
        var problems = Problems("name: p\nNAME: q\nhelmSource:\n  urll: x\n  chart: c\nextra:\n  deep: 1\n");

        Assert.Equal([("NAME", 2), ("helmSource.urll", 4), ("extra", 6)], problems.Select(p => (p.Field, p.Line!.Value)));
        Assert.Contains("did you mean 'name'? Field names are case-sensitive", problems[0].Message);
        Assert.Contains("did you mean 'url'?", problems[1].Message);
        Assert.Contains("the fields are name, namespace, version", problems[2].Message);
    }

    [Theory]
    [InlineData("rawSource: ./dir\n", "rawSource", "must be a mapping of path")]
    [InlineData("targetClusters:\n- a\n- [b]\n", "targetClusters[1]", "must be a string")]
    [InlineData("version:\n  major: 1\n", "version", "must be a string")]
    public void Read_WrongShape_FieldPathAndExpectedShape(string yaml, string field, string message)
    {
        var problem = Assert.Single(Problems(yaml));

        Assert.Equal(field, problem.Field);
        Assert.Contains(message, problem.Message);
    }

    [Fact]
    public void Read_EmptyFile_SaysWhatToWrite()
    {
        Assert.Contains("holds no PackBuild input", Assert.Single(Problems("# nothing\n")).Message);
    }

    [Fact]
    public void Read_MissingFile_NamesIt()
    {
        var ex = Assert.Throws<PackBuildException>(() => PackBuildInputReader.Read("/nonexistent/pack.yaml"));

        Assert.StartsWith("/nonexistent/pack.yaml: cannot read the input file", Assert.Single(ex.Problems).ToString(), StringComparison.Ordinal);
    }
}
