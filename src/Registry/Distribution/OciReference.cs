using System.Text.RegularExpressions;

namespace Conductor.Registry.Distribution;

/// <summary>
/// A parsed image reference <c>host[:port]/repo/path[:tag][@sha256:…]</c>. <see cref="Reference"/> is what
/// goes into a <c>/manifests/&lt;reference&gt;</c> path: the digest when present, else the tag.
/// </summary>
public sealed partial record OciReference(string Registry, string Repository, string? Tag, string? Digest)
{
    /// <summary>The manifest reference: the digest when present, else the tag.</summary>
    public string Reference => Digest ?? Tag ?? throw new InvalidOperationException(
        $"reference {Registry}/{Repository} has neither a tag nor a digest");

    /// <summary>
    /// Parses <paramref name="text"/>. The registry is the text before the first '/'; a digest follows '@'; a tag
    /// follows the last ':' after the last '/'. A missing tag and digest is an error unless
    /// <paramref name="requireTagOrDigest"/> is false (a bare repository, for blob operations).
    /// </summary>
    public static OciReference Parse(string text, bool requireTagOrDigest = true)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new FormatException("image reference is empty: expected host[:port]/repository[:tag|@sha256:…]");
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            throw new FormatException(
                $"image reference '{text}' has no registry: expected host[:port]/repository[:tag|@sha256:…]");
        }

        var registry = text[..slash];
        var rest = text[(slash + 1)..];
        string? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = OciDigest.Validate(rest[(at + 1)..], $"digest in image reference '{text}'");
            rest = rest[..at];
        }

        string? tag = null;
        var colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
        }

        var reference = Create(registry, rest, tag, digest, text);
        if (requireTagOrDigest && tag is null && digest is null)
        {
            throw new FormatException($"image reference '{text}' has neither a ':tag' nor an '@sha256:…' digest");
        }

        return reference;
    }

    /// <summary>A repository reference without tag or digest, validated.</summary>
    public static OciReference ForRepository(string registry, string repository) =>
        Create(registry, repository, null, null, $"{registry}/{repository}");

    /// <summary>The same repository with <paramref name="tag"/>.</summary>
    public OciReference WithTag(string tag) => Create(Registry, Repository, tag, null, $"{Registry}/{Repository}:{tag}");

    /// <summary>The same repository with <paramref name="digest"/> and no tag.</summary>
    public OciReference WithDigest(string digest) =>
        this with { Tag = null, Digest = OciDigest.Validate(digest, $"digest for {Registry}/{Repository}") };

    /// <inheritdoc />
    public override string ToString() =>
        $"{Registry}/{Repository}{(Tag is null ? "" : ":" + Tag)}{(Digest is null ? "" : "@" + Digest)}";

    private static OciReference Create(string registry, string repository, string? tag, string? digest, string text)
    {
        if (!RegistryPattern().IsMatch(registry))
        {
            throw new FormatException(
                $"registry '{registry}' in image reference '{text}' is not a valid host[:port]");
        }

        if (repository.Length > 255 || !RepositoryPattern().IsMatch(repository))
        {
            throw new FormatException(
                $"repository '{repository}' in image reference '{text}' is invalid: use lowercase path components " +
                "of [a-z0-9] separated by '.', '_', '__' or '-', joined by '/'");
        }

        if (tag is not null && !TagPattern().IsMatch(tag))
        {
            throw new FormatException(
                $"tag '{tag}' in image reference '{text}' is invalid: use 1-128 characters of [A-Za-z0-9_.-], " +
                "not starting with '.' or '-'");
        }

        return new OciReference(registry, repository, tag, digest);
    }

    [GeneratedRegex(@"^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(:[0-9]{1,5})?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex RegistryPattern();

    [GeneratedRegex(@"^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$",
        RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();
}
