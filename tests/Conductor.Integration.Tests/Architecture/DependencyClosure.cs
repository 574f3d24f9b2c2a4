using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;

namespace Conductor.Integration.Tests.Architecture;

/// <summary>
/// Computes what a program depends on, two ways: the assemblies its built binary references, followed transitively
/// through the assemblies beside it; and the packages and projects its restore closure holds (obj/project.assets.json,
/// which lists transitive ones too, so a compile-only package arriving through another package is caught).
/// </summary>
internal static class DependencyClosure
{
    /// <summary>The names of <paramref name="rootAssembly"/> and every assembly it reaches in <paramref name="directory"/>.</summary>
    public static IReadOnlySet<string> Assemblies(string directory, string rootAssembly)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<string>();
        pending.Push(rootAssembly);
        while (pending.TryPop(out var name))
        {
            if (!seen.Add(name))
            {
                continue;
            }
            var path = Path.Combine(directory, name + ".dll");
            if (!File.Exists(path))
            {
                continue; // a shared-framework assembly (System.*, Microsoft.AspNetCore.*): not ours to police
            }
            foreach (var reference in ReferencedAssemblies(path))
            {
                pending.Push(reference);
            }
        }
        return seen;
    }

    /// <summary>
    /// Package names, and for projects both the assembly name and the project file name, in the restore closure of
    /// the project in <paramref name="projectDirectory"/>.
    /// </summary>
    public static IReadOnlySet<string> RestoreClosure(string projectDirectory)
    {
        var assets = Path.Combine(projectDirectory, "obj", "project.assets.json");
        Assert.True(File.Exists(assets), $"{assets} is missing; restore the solution (dotnet restore Conductor.sln) first");
        using var document = JsonDocument.Parse(File.ReadAllText(assets));
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var target in document.RootElement.GetProperty("targets").EnumerateObject())
        {
            foreach (var library in target.Value.EnumerateObject())
            {
                names.Add(library.Name.Split('/')[0]);
            }
        }
        // A project library is keyed by its AssemblyName ("compiler"); its path names the project file.
        foreach (var library in document.RootElement.GetProperty("libraries").EnumerateObject())
        {
            if (library.Value.GetProperty("type").GetString() == "project" && library.Value.TryGetProperty("path", out var path))
            {
                names.Add(Path.GetFileNameWithoutExtension(path.GetString()!));
            }
        }
        return names;
    }

    /// <summary>The repository root: the nearest directory above the test output holding Conductor.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Conductor.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"no Conductor.sln above {AppContext.BaseDirectory}");
    }

    private static IEnumerable<string> ReferencedAssemblies(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new PEReader(stream);
        var metadata = reader.GetMetadataReader();
        return metadata.AssemblyReferences
            .Select(handle => metadata.GetString(metadata.GetAssemblyReference(handle).Name))
            .ToArray();
    }
}
