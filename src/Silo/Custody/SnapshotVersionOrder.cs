using System.Globalization;

namespace Conductor.Silo.Custody;

/// <summary>
/// Orders PermissionSnapshot <c>spec.version</c> labels: ISO 8601 timestamps by convention, compared as instants (so
/// precision and offset do not matter), or whole numbers. Labels of any other form are not ordered.
/// </summary>
public static class SnapshotVersionOrder
{
    /// <summary>Whether <paramref name="candidate"/> is provably newer than <paramref name="than"/>; false when not comparable.</summary>
    public static bool IsNewer(string candidate, string than)
    {
        if (Instant(candidate) is { } a && Instant(than) is { } b)
        {
            return a > b;
        }
        return long.TryParse(candidate, NumberStyles.None, CultureInfo.InvariantCulture, out var x)
            && long.TryParse(than, NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            && x > y;
    }

    private static DateTimeOffset? Instant(string version) =>
        version.Contains('T', StringComparison.Ordinal)
        && DateTimeOffset.TryParse(version, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var instant)
            ? instant
            : null;
}
