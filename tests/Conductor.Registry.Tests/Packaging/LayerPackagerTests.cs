using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Conductor.Registry.Packaging;

namespace Conductor.Registry.Tests.Packaging;

public sealed class LayerPackagerTests
{
    private static readonly LayerFile[] Files =
    [
        new("manifests.yaml", Encoding.UTF8.GetBytes("kind: ConfigMap\n")),
        new("extra/values.yaml", Encoding.UTF8.GetBytes("replicas: 2\n")),
        new("a.yaml", Encoding.UTF8.GetBytes("kind: Secret\n")),
    ];

    [Fact]
    public void Pack_SameFilesInAnotherOrder_SameDigest()
    {
        var first = LayerPackager.Pack(Files);
        var second = LayerPackager.Pack(Files.Reverse());

        Assert.Equal(first.Digest, second.Digest);
        Assert.Equal(first.Content, second.Content);
        Assert.Equal(first.UncompressedDigest, second.UncompressedDigest);
    }

    [Fact]
    public void Pack_FromFilesWithDifferentTimestamps_SameDigest()
    {
        var directory = Directory.CreateTempSubdirectory("conductor-layer-").FullName;
        try
        {
            var path = Path.Combine(directory, "manifests.yaml");
            File.WriteAllText(path, "kind: ConfigMap\n");
            File.SetLastWriteTimeUtc(path, new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            var first = LayerPackager.Pack([new LayerFile("manifests.yaml", File.ReadAllBytes(path))]);
            File.SetLastWriteTimeUtc(path, new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc));
            var second = LayerPackager.Pack([new LayerFile("manifests.yaml", File.ReadAllBytes(path))]);

            Assert.Equal(first.Digest, second.Digest);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Pack_OneByteChanged_DifferentDigest()
    {
        var changed = Files.ToArray();
        changed[0] = changed[0] with { Content = Encoding.UTF8.GetBytes("kind: ConfigMaq\n") };

        Assert.NotEqual(LayerPackager.Pack(Files).Digest, LayerPackager.Pack(changed).Digest);
    }

    [Fact]
    public void Pack_Entries_SortedWithFixedHeaders()
    {
        var layer = LayerPackager.Pack(Files);
        using var gzip = new GZipStream(new MemoryStream(layer.Content), CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        var entries = new List<TarEntry>();
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            entries.Add(entry);
        }

        Assert.Equal(["a.yaml", "extra/values.yaml", "manifests.yaml"], entries.Select(entry => entry.Name));
        Assert.All(entries, entry =>
        {
            Assert.Equal(DateTimeOffset.UnixEpoch, entry.ModificationTime);
            Assert.Equal(LayerPackager.FileMode, entry.Mode);
            Assert.Equal(0, entry.Uid);
            Assert.Equal(0, entry.Gid);
            Assert.Equal("", ((PosixTarEntry)entry).UserName);
            Assert.Equal("", ((PosixTarEntry)entry).GroupName);
        });
        Assert.Equal(3, layer.Content[9]);
        Assert.Equal([0, 0, 0, 0], layer.Content[4..8]);
    }

    [Fact]
    public void Unpack_PackedLayer_ReturnsFilesSorted()
    {
        var files = LayerPackager.Unpack(LayerPackager.Pack(Files).Content, "test");

        Assert.Equal(["a.yaml", "extra/values.yaml", "manifests.yaml"], files.Select(file => file.Path));
        Assert.Equal("replicas: 2\n", Encoding.UTF8.GetString(files[1].Content.Span));
    }

    [Theory]
    [InlineData("../escape.yaml")]
    [InlineData("/abs.yaml")]
    [InlineData("a//b.yaml")]
    [InlineData("")]
    public void Pack_UnsafePath_ErrorNamesPath(string path)
    {
        var error = Assert.Throws<ArgumentException>(() => LayerPackager.Pack([new LayerFile(path, "x"u8.ToArray())]));

        Assert.Contains($"'{path}'", error.Message);
    }

    [Fact]
    public void Pack_DuplicatePath_ErrorNamesPath()
    {
        var error = Assert.Throws<ArgumentException>(() => LayerPackager.Pack(
            [new LayerFile("a.yaml", "1"u8.ToArray()), new LayerFile("./a.yaml", "2"u8.ToArray())]));

        Assert.Contains("'a.yaml' is given twice", error.Message);
    }

    [Fact]
    public void Unpack_NotGzip_ErrorNamesSource()
    {
        var error = Assert.Throws<InvalidDataException>(() => LayerPackager.Unpack("plain text"u8.ToArray(), "reg/x@sha256:1"));

        Assert.Contains("layer reg/x@sha256:1 is not a valid tar.gz", error.Message);
    }
}
