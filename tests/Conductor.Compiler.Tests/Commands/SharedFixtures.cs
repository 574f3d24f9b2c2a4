using System.Runtime.CompilerServices;

namespace Conductor.Compiler.Tests.Commands;

/// <summary>The reference input fixtures in ../shared/fixtures beside the repository; read in place, never copied in.</summary>
internal static class SharedFixtures
{
    public static string PathOf(string name)
    {
        var path = Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "fixtures", name));
        Assert.True(File.Exists(path), $"shared fixture {path} is missing: the tests read ../shared/fixtures beside the repository checkout");
        return path;
    }

    private static string RepositoryRoot([CallerFilePath] string source = "")
    {
        for (var directory = Path.GetDirectoryName(source); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "Conductor.sln")))
            {
                return directory;
            }
        }
        throw new InvalidOperationException($"no Conductor.sln above {source}");
    }
}
