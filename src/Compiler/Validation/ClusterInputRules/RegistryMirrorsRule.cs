namespace Conductor.Compiler.Validation.ClusterInputRules;

/// <summary>Each registry mirror names a registry and at least one absolute http(s) endpoint.</summary>
internal sealed class RegistryMirrorsRule : IClusterInputRule
{
    public IEnumerable<InputError> Check(ClusterInputContext context)
    {
        var mirrors = context.Input.RegistryMirrors ?? [];
        for (var i = 0; i < mirrors.Count; i++)
        {
            var at = $"registryMirrors[{i}]";
            if (string.IsNullOrWhiteSpace(mirrors[i].Registry))
            {
                yield return new($"{at}.registry", "registry is required: the registry host to mirror, for example docker.io");
            }
            var endpoints = mirrors[i].Endpoints ?? [];
            if (endpoints.Count == 0)
            {
                yield return new($"{at}.endpoints", "at least one endpoint is required, for example http://10.20.0.1:5000");
            }
            for (var j = 0; j < endpoints.Count; j++)
            {
                if (!Uri.TryCreate(endpoints[j], UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
                {
                    yield return new($"{at}.endpoints[{j}]", $"'{endpoints[j]}' is not an http(s) URL; write it as http://10.20.0.1:5000");
                }
            }
        }
    }
}
