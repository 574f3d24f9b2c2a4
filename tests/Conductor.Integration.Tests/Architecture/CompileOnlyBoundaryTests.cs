namespace Conductor.Integration.Tests.Architecture;

/// <summary>
/// DESIGN §1: compile-only code is referenced by src/Compiler alone. The agent, the grains and the executor, with
/// everything they pull in, reference neither the compiler assembly nor a compile-only package.
/// </summary>
public sealed class CompileOnlyBoundaryTests
{
    public static TheoryData<string, string> DeployedPrograms() => new()
    {
        { "conductor", "src/Silo" },
        { "Conductor.Grains", "src/Grains" },
        { "conductor-execute", "src/Executor" },
    };

    [Theory]
    [MemberData(nameof(DeployedPrograms))]
    public void Assemblies_DeployedProgram_ReachNoCompileOnlyAssembly(string assembly, string _)
    {
        var closure = DependencyClosure.Assemblies(AppContext.BaseDirectory, assembly);

        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, assembly + ".dll")), $"{assembly}.dll is not beside the tests");
        Assert.Contains(assembly, closure);
        Assert.DoesNotContain(closure, CompileOnlyDependencies.IsCompileOnlyAssembly);
    }

    [Theory]
    [MemberData(nameof(DeployedPrograms))]
    public void RestoreClosure_DeployedProgram_HoldsNoCompilerProjectOrCompileOnlyPackage(string _, string projectDirectory)
    {
        var closure = DependencyClosure.RestoreClosure(Path.Combine(DependencyClosure.RepositoryRoot(), projectDirectory));

        Assert.Contains("Conductor.Interfaces", closure);
        Assert.DoesNotContain(CompileOnlyDependencies.CompilerProject, closure);
        Assert.DoesNotContain(CompileOnlyDependencies.CompilerAssembly, closure);
        Assert.DoesNotContain(closure, CompileOnlyDependencies.Packages.ContainsKey);
    }

    // The checks above can fail: pointed at the compiler, they find what they look for.
    [Fact]
    public void Assemblies_Compiler_FlagsCompilerAssembly() =>
        Assert.Contains(CompileOnlyDependencies.CompilerAssembly,
            DependencyClosure.Assemblies(AppContext.BaseDirectory, CompileOnlyDependencies.CompilerAssembly).Where(CompileOnlyDependencies.IsCompileOnlyAssembly));

    [Fact]
    public void RestoreClosure_Compiler_FlagsCompileOnlyPackage() =>
        Assert.Contains("System.CommandLine",
            DependencyClosure.RestoreClosure(Path.Combine(DependencyClosure.RepositoryRoot(), "src/Compiler")).Where(CompileOnlyDependencies.Packages.ContainsKey));

    [Fact]
    public void RestoreClosure_ProjectReferencingCompiler_FlagsCompilerProject()
    {
        var closure = DependencyClosure.RestoreClosure(Path.Combine(DependencyClosure.RepositoryRoot(), "tests/Conductor.Integration.Tests"));

        Assert.Contains(CompileOnlyDependencies.CompilerProject, closure);
        Assert.Contains(CompileOnlyDependencies.CompilerAssembly, closure);
    }
}
