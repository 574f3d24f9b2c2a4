using Conductor.Compiler.Output;

namespace Conductor.Compiler.Tests.Output;

public sealed class AtomicOutputTests
{
    [Fact]
    public async Task WriteAsync_MissingDirectory_CreatesItWithTheFilesAndNoStaging()
    {
        using var temp = new TempDirectory();
        var target = temp.Combine("a", "b");

        await AtomicOutput.WriteAsync(target, [("x.yaml", "x: 1\n"), ("y.yaml", "y: 2\n")], TestContext.Current.CancellationToken);

        Assert.Equal("x: 1\n", File.ReadAllText(Path.Combine(target, "x.yaml")));
        Assert.Equal("y: 2\n", File.ReadAllText(Path.Combine(target, "y.yaml")));
        Assert.Equal([target], Directory.GetDirectories(temp.Combine("a")));
    }

    [Fact]
    public async Task WriteAsync_FailsPartWay_LeavesNoOutputAndNoStaging()
    {
        using var temp = new TempDirectory();
        var target = temp.Combine("out");

        await Assert.ThrowsAsync<IOException>(() =>
            AtomicOutput.WriteAsync(target, [("good.yaml", "ok\n"), ("../escape.yaml", "bad\n")], TestContext.Current.CancellationToken));

        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public async Task WriteAsync_FailsPartWayIntoExistingDirectory_LeavesItUntouched()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("good.yaml"), "old\n");

        await Assert.ThrowsAsync<IOException>(() =>
            AtomicOutput.WriteAsync(temp.Path, [("good.yaml", "new\n"), ("../bad.yaml", "bad\n")], TestContext.Current.CancellationToken));

        Assert.Equal([temp.Combine("good.yaml")], Directory.GetFileSystemEntries(temp.Path));
        Assert.Equal("old\n", File.ReadAllText(temp.Combine("good.yaml")));
    }

    [Fact]
    public async Task WriteAsync_Content_Utf8WithoutByteOrderMark()
    {
        using var temp = new TempDirectory();

        await AtomicOutput.WriteAsync(temp.Path, [("a.yaml", "é\n")], TestContext.Current.CancellationToken);

        Assert.Equal([0xC3, 0xA9, 0x0A], File.ReadAllBytes(temp.Combine("a.yaml")));
    }
}
