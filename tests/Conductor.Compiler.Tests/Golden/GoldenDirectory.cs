using System.Runtime.CompilerServices;
using System.Text;

namespace Conductor.Compiler.Tests.Golden;

/// <summary>
/// Compares a directory the compiler wrote with <c>testdata/&lt;verb&gt;/&lt;case&gt;/expected</c> byte for byte. Run the
/// tests with <c>UPDATE_GOLDENS=1</c> (see update-goldens.sh) after a deliberate change: the expected trees are
/// rewritten from the actual output, and <c>git diff testdata</c> shows the change for review.
/// </summary>
internal static class GoldenDirectory
{
    public const string UpdateVariable = "UPDATE_GOLDENS";

    public static string TestData => Path.Combine(ProjectDirectory(), "testdata");

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    public static IEnumerable<string> Cases(string verb) =>
        Directory.GetDirectories(Path.Combine(TestData, verb)).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static void AssertMatches(string caseDirectory, string actualDirectory)
    {
        var expectedDirectory = Path.Combine(caseDirectory, "expected");
        if (Updating)
        {
            if (Directory.Exists(expectedDirectory))
            {
                Directory.Delete(expectedDirectory, recursive: true);
            }
            foreach (var file in Files(actualDirectory))
            {
                var target = Path.Combine(expectedDirectory, file);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(Path.Combine(actualDirectory, file), target);
            }
            return;
        }

        var expected = Files(expectedDirectory);
        var actual = Files(actualDirectory);
        var problems = new StringBuilder();
        foreach (var missing in expected.Except(actual))
        {
            problems.AppendLine($"missing: {missing}");
        }
        foreach (var extra in actual.Except(expected))
        {
            problems.AppendLine($"unexpected: {extra}");
        }
        foreach (var file in expected.Intersect(actual))
        {
            var want = File.ReadAllBytes(Path.Combine(expectedDirectory, file));
            var got = File.ReadAllBytes(Path.Combine(actualDirectory, file));
            if (!want.AsSpan().SequenceEqual(got))
            {
                problems.AppendLine($"differs: {file}: {FirstDifference(Encoding.UTF8.GetString(want), Encoding.UTF8.GetString(got))}");
            }
        }
        Assert.True(problems.Length == 0,
            $"Output differs from {expectedDirectory}:\n{problems}If the change is deliberate, regenerate with {UpdateVariable}=1 (tests/Conductor.Compiler.Tests/update-goldens.sh) and review git diff.");
    }

    public static IReadOnlyList<string> Files(string directory) => !Directory.Exists(directory) ? [] :
        [.. Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(directory, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    private static string FirstDifference(string want, string got)
    {
        var wantLines = want.Split('\n');
        var gotLines = got.Split('\n');
        for (var i = 0; i < Math.Max(wantLines.Length, gotLines.Length); i++)
        {
            var w = i < wantLines.Length ? wantLines[i] : "<end of file>";
            var g = i < gotLines.Length ? gotLines[i] : "<end of file>";
            if (w != g)
            {
                return $"line {i + 1}: expected '{w}', got '{g}'";
            }
        }
        return "same lines, different bytes";
    }

    private static string ProjectDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(Path.GetDirectoryName(path)!)!;
}
