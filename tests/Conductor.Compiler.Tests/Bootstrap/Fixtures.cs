namespace Conductor.Compiler.Tests.Bootstrap;

/// <summary>The shared upstream fixtures, read in place (never copied): /work/shared/fixtures or $CONDUCTOR_FIXTURES.</summary>
internal static class Fixtures
{
    public static string Directory
    {
        get
        {
            var directory = Environment.GetEnvironmentVariable("CONDUCTOR_FIXTURES") ?? "/work/shared/fixtures";
            Assert.True(System.IO.Directory.Exists(directory),
                $"the shared fixtures directory '{directory}' does not exist; set CONDUCTOR_FIXTURES to the shared/fixtures folder");
            return directory;
        }
    }
}
