namespace Conductor.Interfaces.Tests.Runner;

/// <summary>Reads the golden documents copied beside the test assembly from Runner/testdata.</summary>
internal static class Golden
{
    public static string Read(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Runner", "testdata", name);
        Assert.True(File.Exists(path), $"golden file {path} is missing; it is copied from tests/Conductor.Interfaces.Tests/Runner/testdata");
        return File.ReadAllText(path).ReplaceLineEndings("\n").TrimEnd('\n');
    }
}
