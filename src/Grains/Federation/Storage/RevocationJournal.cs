using System.Globalization;
using System.Net;
using System.Text.Json;
using Conductor.Federation;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Grains.Federation.Storage;

/// <summary>
/// Every revocation issued to any tenant, kept on the management cluster as immutable ConfigMap pages
/// <c>revocations-{unixMilliseconds:D13}-{random}</c> (label <see cref="JournalLabel"/>, data key
/// <c>revocations</c>, a JSON array of at most <see cref="MaxPageEntries"/> notices). One create records a whole
/// batch, whatever clusters it concerns, so revoking for 1 000 clusters costs one write, not 1 000; pages never
/// change, so two writers never conflict. <see cref="CompactAsync"/> folds many pages into few.
/// </summary>
public sealed class RevocationJournal(IKubernetes kube, string @namespace)
{
    /// <summary>About 300 bytes each: a page stays far below the 1 MiB object limit.</summary>
    public const int MaxPageEntries = 2000;

    public const string JournalLabel = "seam.ontai.dev/revocation-journal";
    public const string RevocationsKey = "revocations";

    /// <summary>Writes <paramref name="notices"/> as new pages (one per <see cref="MaxPageEntries"/>) and returns their names.</summary>
    public async Task<IReadOnlyList<string>> AppendAsync(IReadOnlyList<RevocationNotice> notices, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        foreach (var page in notices.Chunk(MaxPageEntries))
        {
            var name = $"revocations-{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString("D13", CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}"[..48];
            await kube.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
            {
                Metadata = new V1ObjectMeta
                {
                    Name = name,
                    NamespaceProperty = @namespace,
                    Labels = new Dictionary<string, string> { [JournalLabel] = "true" },
                },
                Data = new Dictionary<string, string> { [RevocationsKey] = JsonSerializer.Serialize(page, AuditChunkStore.Json) },
            }, @namespace, cancellationToken: cancellationToken);
            names.Add(name);
        }

        return names;
    }

    /// <summary>Every page's name and notices, oldest page first.</summary>
    public async Task<IReadOnlyList<(string Name, List<RevocationNotice> Notices)>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var maps = await kube.CoreV1.ListNamespacedConfigMapAsync(@namespace, labelSelector: $"{JournalLabel}=true", cancellationToken: cancellationToken);
        return [.. maps.Items
            .OrderBy(m => m.Metadata.Name, StringComparer.Ordinal)
            .Select(m => (m.Metadata.Name, Parse(m)))];
    }

    /// <summary>
    /// Replaces <paramref name="pages"/> by new pages holding <paramref name="retained"/>: the new pages are written
    /// first, so a crash in between leaves duplicates (read once, by revocation id), never a loss.
    /// </summary>
    public async Task<IReadOnlyList<string>> CompactAsync(
        IReadOnlyList<string> pages, IReadOnlyList<RevocationNotice> retained, CancellationToken cancellationToken)
    {
        var written = await AppendAsync(retained, cancellationToken);
        foreach (var page in pages)
        {
            try
            {
                await kube.CoreV1.DeleteNamespacedConfigMapAsync(page, @namespace, cancellationToken: cancellationToken);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                // Compacted by someone else already.
            }
        }

        return written;
    }

    private List<RevocationNotice> Parse(V1ConfigMap map)
    {
        var text = map.Data is { } found && found.TryGetValue(RevocationsKey, out var raw) ? raw : null;
        try
        {
            return JsonSerializer.Deserialize<List<RevocationNotice>>(text ?? "[]", AuditChunkStore.Json) ?? [];
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(
                $"Revocation journal page {@namespace}/{map.Metadata.Name} key {RevocationsKey} is not a JSON array of revocations: {e.Message}", e);
        }
    }
}
