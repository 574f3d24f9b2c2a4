using System.Text;

namespace Conductor.Registry.Auth;

/// <summary>
/// One <c>WWW-Authenticate</c> challenge: <c>Basic realm="…"</c> or
/// <c>Bearer realm="…",service="…",scope="…"</c> (Docker token authentication).
/// </summary>
public sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>True for the Basic scheme.</summary>
    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for the Bearer scheme.</summary>
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    /// <summary>The <c>realm</c> parameter, or null.</summary>
    public string? Realm => Parameters.GetValueOrDefault("realm");

    /// <summary>The <c>service</c> parameter, or null.</summary>
    public string? Service => Parameters.GetValueOrDefault("service");

    /// <summary>The <c>scope</c> parameter, or null.</summary>
    public string? Scope => Parameters.GetValueOrDefault("scope");

    /// <summary>The <c>error</c> parameter (e.g. <c>insufficient_scope</c>), or null.</summary>
    public string? Error => Parameters.GetValueOrDefault("error");

    /// <summary>Parses a scheme plus its auth-param list; quoted values may contain commas.</summary>
    public static AuthChallenge Parse(string scheme, string? parameterText)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var text = parameterText ?? "";
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }

            var keyStart = i;
            while (i < text.Length && text[i] != '=' && text[i] != ',')
            {
                i++;
            }

            var key = text[keyStart..i].Trim();
            if (i >= text.Length || text[i] != '=')
            {
                continue;
            }

            i++;
            var value = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    value.Append(text[i]);
                    i++;
                }

                i++;
            }
            else
            {
                while (i < text.Length && text[i] != ',')
                {
                    value.Append(text[i]);
                    i++;
                }
            }

            if (key.Length > 0)
            {
                parameters[key] = value.ToString().Trim();
            }
        }

        return new AuthChallenge(scheme, parameters);
    }

    /// <summary>The first Bearer challenge of a response, else the first Basic one, else null.</summary>
    public static AuthChallenge? FromResponse(HttpResponseMessage response)
    {
        var challenges = response.Headers.WwwAuthenticate
            .Select(header => Parse(header.Scheme, header.Parameter))
            .ToList();
        return challenges.FirstOrDefault(c => c.IsBearer) ?? challenges.FirstOrDefault(c => c.IsBasic);
    }
}
