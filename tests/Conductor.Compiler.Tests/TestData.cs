namespace Conductor.Compiler.Tests;

/// <summary>
/// Golden directories under <c>tests/Conductor.Compiler.Tests/testdata/&lt;case&gt;/</c> (STYLE 23). Run the tests with
/// <c>UPDATE_GOLDENS=1</c> to rewrite the expected output from what the compiler produces now; review the diff.
/// </summary>
internal static class TestData
{
    public const string UpdateVariable = "UPDATE_GOLDENS";

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    public static string CaseDirectory(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "Conductor.Compiler.Tests", "testdata", name);
            if (File.Exists(Path.Combine(directory.FullName, "Conductor.sln")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException($"No Conductor.sln above {AppContext.BaseDirectory}; cannot find testdata/{name}.");
    }

    /// <summary>Asserts that <paramref name="actualDirectory"/> holds exactly the expected files, byte for byte.</summary>
    public static void AssertMatchesGolden(string actualDirectory, string expectedDirectory)
    {
        if (Updating)
        {
            if (Directory.Exists(expectedDirectory))
            {
                Directory.Delete(expectedDirectory, recursive: true);
            }
            Directory.CreateDirectory(expectedDirectory);
            foreach (var file in Directory.GetFiles(actualDirectory))
            {
                File.Copy(file, Path.Combine(expectedDirectory, Path.GetFileName(file)));
            }
            return;
        }
        Assert.True(Directory.Exists(expectedDirectory),
            $"Golden directory {expectedDirectory} is missing; create it with {UpdateVariable}=1 dotnet test.");
        var expected = Directory.GetFiles(expectedDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var actual = Directory.GetFiles(actualDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
        foreach (var name in expected)
        {
            var want = File.ReadAllBytes(Path.Combine(expectedDirectory, name!));
            var got = File.ReadAllBytes(Path.Combine(actualDirectory, name!));
            Assert.True(want.AsSpan().SequenceEqual(got),
                $"{name} differs from the golden copy in {expectedDirectory}. If the change is intended, rerun with {UpdateVariable}=1 and review the diff.");
        }
    }
}
