using Conductor.Compiler.Output;
using Conductor.TestSupport;

namespace Conductor.Compiler.Tests.Output;

public sealed class AtomicOutputTests
{
    [Fact]
    public async Task WriteAsync_MissingDirectory_CreatesItWithTheFilesAndNoStaging()
    {
        using var temp = new TemporaryDirectory();
        var target = temp.File("a", "b");

        await AtomicOutput.WriteAsync(target, [("x.yaml", "x: 1\n"), ("y.yaml", "y: 2\n")], TestContext.Current.CancellationToken);

        Assert.Equal("x: 1\n", File.ReadAllText(Path.Combine(target, "x.yaml")));
        Assert.Equal("y: 2\n", File.ReadAllText(Path.Combine(target, "y.yaml")));
        Assert.Equal([target], Directory.GetDirectories(temp.File("a")));
    }

    [Fact]
    public async Task WriteAsync_FailsPartWay_LeavesNoOutputAndNoStaging()
    {
        using var temp = new TemporaryDirectory();
        var target = temp.File("out");

        await Assert.ThrowsAsync<IOException>(() =>
            AtomicOutput.WriteAsync(target, [("good.yaml", "ok\n"), ("../escape.yaml", "bad\n")], TestContext.Current.CancellationToken));

        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public async Task WriteAsync_FailsPartWayIntoExistingDirectory_LeavesItUntouched()
    {
        using var temp = new TemporaryDirectory();
        File.WriteAllText(temp.File("good.yaml"), "old\n");

        await Assert.ThrowsAsync<IOException>(() =>
            AtomicOutput.WriteAsync(temp.Path, [("good.yaml", "new\n"), ("../bad.yaml", "bad\n")], TestContext.Current.CancellationToken));

        Assert.Equal([temp.File("good.yaml")], Directory.GetFileSystemEntries(temp.Path));
        Assert.Equal("old\n", File.ReadAllText(temp.File("good.yaml")));
    }

    [Fact]
    public async Task WriteAsync_Content_Utf8WithoutByteOrderMark()
    {
        using var temp = new TemporaryDirectory();

        await AtomicOutput.WriteAsync(temp.Path, [("a.yaml", "é\n")], TestContext.Current.CancellationToken);

        Assert.Equal([0xC3, 0xA9, 0x0A], File.ReadAllBytes(temp.File("a.yaml")));
    }
}
