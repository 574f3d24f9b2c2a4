using System.Xml.Linq;
using Conductor.Integration.Tests.Architecture;

namespace Conductor.Integration.Tests.Images;

/// <summary>
/// No Docker engine runs here, so each image's promises are checked on its Dockerfile: the base images, a non-root
/// USER, the exec-form entrypoint, the one project it publishes, and a build context holding exactly that project's
/// reference closure (so the agent image never sees compiler code).
/// </summary>
public sealed class DockerfileStructureTests
{
    private const string BuildBase = "mcr.microsoft.com/dotnet/sdk:10.0";

    private sealed record Image(string Project, string RuntimeBase, string[] Entrypoint);

    private static readonly Dictionary<string, Image> Expected = new(StringComparer.Ordinal)
    {
        // Self-contained and trimmed (issue #9): its own apphost on the runtime-deps base, no shared runtime.
        ["Dockerfile.agent"] = new("src/Silo", "mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled", ["/app/conductor"]),
        ["Dockerfile.execute"] = new("src/Executor", "mcr.microsoft.com/dotnet/runtime:10.0-bookworm-slim", ["dotnet", "/app/conductor-execute.dll"]),
        ["Dockerfile.compiler"] = new("src/Compiler", "mcr.microsoft.com/dotnet/runtime:10.0-bookworm-slim", ["dotnet", "/app/compiler.dll"]),
    };

    public static TheoryData<string> Images() => new(Expected.Keys);

    [Theory]
    [MemberData(nameof(Images))]
    public void Bases_Image_BuildsOnSdkAndRunsOnItsRuntime(string file)
    {
        var dockerfile = Load(file);

        Assert.Equal([BuildBase, Expected[file].RuntimeBase], dockerfile.Bases);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void User_FinalStage_IsNonRoot65532(string file)
    {
        var dockerfile = Load(file);

        Assert.NotNull(dockerfile.FinalUser);
        Assert.Equal("65532", dockerfile.FinalUser.Split(':')[0]);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Entrypoint_Image_RunsItsOwnProgramInExecForm(string file)
    {
        var dockerfile = Load(file);

        Assert.Equal(Expected[file].Entrypoint, dockerfile.Entrypoint);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Publish_Image_PublishesOnlyItsOwnProject(string file)
    {
        var dockerfile = Load(file);

        Assert.Equal([Expected[file].Project], dockerfile.PublishedProjects);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void BuildContext_Image_CopiesExactlyItsProjectReferenceClosure(string file)
    {
        var dockerfile = Load(file);
        var copiedProjects = dockerfile.ContextCopies.Where(c => c.StartsWith("src/", StringComparison.Ordinal)).Select(c => c.TrimEnd('/')).Order();

        Assert.Equal(ProjectClosure(Expected[file].Project).Order(), copiedProjects);
    }

    [Theory]
    [InlineData("Dockerfile.agent")]
    [InlineData("Dockerfile.execute")]
    public void BuildContext_DeployedImage_NeverSeesCompilerProject(string file)
    {
        var dockerfile = Load(file);

        Assert.DoesNotContain(dockerfile.ContextCopies, c => c.StartsWith("src/Compiler", StringComparison.Ordinal) || c == "." || c == "src/");
    }

    // The chiseled base has no shell, so a RUN in the agent's final stage could not work; it must not be there.
    [Fact]
    public void FinalStage_Agent_RunsNoShellCommand() => Assert.Empty(Load("Dockerfile.agent").FinalStageRuns);

    // The closure check can fail: the compiler's closure holds a project the agent's does not.
    [Fact]
    public void ProjectClosure_Compiler_HoldsRegistryWhichAgentLacks()
    {
        Assert.Contains("src/Registry", ProjectClosure("src/Compiler"));
        Assert.DoesNotContain("src/Compiler", ProjectClosure("src/Silo"));
    }

    private static Dockerfile Load(string file) => Dockerfile.Load(Path.Combine(DependencyClosure.RepositoryRoot(), file));

    /// <summary>The project directories (repository-relative) a project builds from, following ProjectReferences.</summary>
    private static HashSet<string> ProjectClosure(string project)
    {
        var root = DependencyClosure.RepositoryRoot();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.Combine(root, project)]);
        while (pending.TryPop(out var directory))
        {
            var relative = Path.GetRelativePath(root, directory).Replace('\\', '/');
            if (!seen.Add(relative))
            {
                continue;
            }
            var csproj = Directory.GetFiles(directory, "*.csproj").Single();
            foreach (var reference in XDocument.Load(csproj).Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")!.Value.Replace('\\', '/');
                pending.Push(Path.GetDirectoryName(Path.GetFullPath(Path.Combine(directory, include)))!);
            }
        }
        return seen;
    }
}
