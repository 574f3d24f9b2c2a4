using Conductor.Components;
using Conductor.Naming;

namespace Conductor.Compiler.Components;

/// <summary>
/// Resolves <c>--component NAME[=NAMESPACE]</c> values against the catalog: all of them first, so an unknown name
/// writes nothing. <c>=NAMESPACE</c> is for an install outside the upstream default namespace.
/// </summary>
public static class CatalogSelection
{
    public static IReadOnlyList<SelectedComponent> Resolve(IReadOnlyList<string> values, IReadOnlyList<ComponentDefinition> catalog, List<string> errors)
    {
        var selected = new List<SelectedComponent>();
        var known = string.Join(", ", catalog.Select(entry => entry.Name));
        foreach (var value in values)
        {
            var cut = value.IndexOf('=', StringComparison.Ordinal);
            var name = cut < 0 ? value : value[..cut];
            var installNamespace = cut < 0 ? null : value[(cut + 1)..];
            if (catalog.FirstOrDefault(entry => entry.Name == name) is not { } definition)
            {
                errors.Add($"--component {value}: '{name}' is not in the component catalog; known components: {known}. " +
                           "For anything else write a descriptor and pass --descriptor");
                continue;
            }
            if (installNamespace is not null && !DnsLabel.IsValid(installNamespace))
            {
                errors.Add($"--component {value}: the namespace after '=' must be a DNS-1123 label (the namespace {name} runs in)");
                continue;
            }
            if (selected.Any(s => s.Definition.Name == name))
            {
                errors.Add($"--component {value}: {name} is given twice; its PermissionSet and RBACProfile names would collide. " +
                           "Write each install to its own --namespace in a separate run");
                continue;
            }
            selected.Add(new SelectedComponent(definition, installNamespace ?? definition.Namespace));
        }
        return selected;
    }
}
