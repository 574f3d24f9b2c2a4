using Conductor.Compiler.OperatorBundle;
using Conductor.Compiler.OperatorBundle.Phases;
using Conductor.Signing;
using k8s;
using k8s.Models;

namespace Conductor.Integration.Tests.LeastPrivilege;

/// <summary>
/// The tenant agent's RBAC exactly as <c>compiler enable</c> writes it (phase 04's <c>conductor-rbac.yaml</c>, rendered
/// and parsed back), moved from <c>ont-system</c> into a test namespace: the Role and its binding go there, the
/// ClusterRole and its binding get a name of the namespace's own, and every subject names the namespace's
/// <c>conductor</c> service account. Rules are applied unchanged unless <see cref="Withhold"/> takes some out.
/// </summary>
internal sealed class TenantBundleRbac
{
    public const string ServiceAccount = "conductor";
    private const string BundleNamespace = "ont-system";
    private const string RbacFile = "conductor-rbac.yaml";

    private TenantBundleRbac(IReadOnlyList<object> objects) => Objects = objects;

    /// <summary>The bundle's RBAC objects, as written for a tenant cluster.</summary>
    public IReadOnlyList<object> Objects { get; }

    /// <summary>Renders the tenant bundle's phase 04 and reads back the objects of its RBAC file.</summary>
    public static TenantBundleRbac FromEnableBundle()
    {
        var settings = new EnableSettings
        {
            Role = AgentRole.Tenant,
            ClusterName = "least-privilege",
            Registry = "registry.example",
            Version = "v0.0.0-test",
            ManagementEndpoint = "conductor.ont-system.svc:8443",
            ManagementPublicKeyPem = Ed25519PrivateKey.Generate().PublicKey.ExportPem(),
            UpstreamManifests = [],
        };
        var file = ConductorPhase.Build(settings).Files.Single(f => f.Name == RbacFile);
        return new TenantBundleRbac(KubernetesYaml.LoadAllFromString(file.Render()));
    }

    /// <summary>A copy without the verbs <paramref name="verbs"/> on <paramref name="group"/>/<paramref name="resource"/>.</summary>
    public TenantBundleRbac Withhold(string group, string resource, params string[] verbs)
    {
        var granted = Objects.Any(o => Rules(o).Any(r => Grants(r, group, resource)));
        return granted
            ? new([.. Objects.Select(o => o switch
            {
                V1ClusterRole role => new V1ClusterRole { ApiVersion = role.ApiVersion, Kind = role.Kind, Metadata = role.Metadata, Rules = Without(role.Rules, group, resource, verbs) },
                V1Role role => new V1Role { ApiVersion = role.ApiVersion, Kind = role.Kind, Metadata = role.Metadata, Rules = Without(role.Rules, group, resource, verbs) },
                _ => o,
            })])
            : throw new InvalidOperationException($"No rule of the bundle grants {group}/{resource}: nothing to withhold.");
    }

    /// <summary>Applies the objects for service account <see cref="ServiceAccount"/> of <paramref name="namespace"/>.</summary>
    public async Task<ClusterRbacCleanup> ApplyAsync(IKubernetes admin, string @namespace, CancellationToken cancellationToken)
    {
        var clusterName = $"{@namespace}-{ServiceAccount}";
        var subject = new Rbacv1Subject { Kind = "ServiceAccount", Name = ServiceAccount, NamespaceProperty = @namespace };
        foreach (var item in Objects)
        {
            switch (item)
            {
                case V1ServiceAccount account:
                    account.Metadata.NamespaceProperty = Moved(account.Metadata.NamespaceProperty, @namespace);
                    await admin.CoreV1.CreateNamespacedServiceAccountAsync(account, @namespace, cancellationToken: cancellationToken);
                    break;
                case V1ClusterRole role:
                    role.Metadata.Name = clusterName;
                    await admin.RbacAuthorizationV1.CreateClusterRoleAsync(role, cancellationToken: cancellationToken);
                    break;
                case V1ClusterRoleBinding binding:
                    binding.Metadata.Name = clusterName;
                    binding.RoleRef.Name = clusterName;
                    binding.Subjects = [.. binding.Subjects.Select(_ => subject)];
                    await admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(binding, cancellationToken: cancellationToken);
                    break;
                case V1Role role:
                    role.Metadata.NamespaceProperty = Moved(role.Metadata.NamespaceProperty, @namespace);
                    await admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(role, @namespace, cancellationToken: cancellationToken);
                    break;
                case V1RoleBinding binding:
                    binding.Metadata.NamespaceProperty = Moved(binding.Metadata.NamespaceProperty, @namespace);
                    binding.Subjects = [.. binding.Subjects.Select(_ => subject)];
                    await admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(binding, @namespace, cancellationToken: cancellationToken);
                    break;
                default:
                    throw new InvalidOperationException($"{RbacFile} holds a {item.GetType().Name}, which this test does not know how to apply.");
            }
        }
        return new ClusterRbacCleanup(admin, clusterName);
    }

    private static string Moved(string bundleNamespace, string @namespace) => bundleNamespace == BundleNamespace
        ? @namespace
        : throw new InvalidOperationException($"{RbacFile} places an object in {bundleNamespace}, not {BundleNamespace}.");

    private static List<V1PolicyRule> Without(IEnumerable<V1PolicyRule> rules, string group, string resource, string[] verbs)
    {
        var kept = new List<V1PolicyRule>();
        foreach (var rule in rules)
        {
            if (!Grants(rule, group, resource))
            {
                kept.Add(rule);
                continue;
            }
            // The other resources of the rule keep every verb; this one keeps the verbs not withheld.
            var others = rule.Resources.Where(r => r != resource).ToList();
            if (others.Count > 0)
            {
                kept.Add(new V1PolicyRule { ApiGroups = rule.ApiGroups, Resources = others, Verbs = rule.Verbs });
            }
            var remaining = rule.Verbs.Except(verbs).ToList();
            if (remaining.Count > 0)
            {
                kept.Add(new V1PolicyRule { ApiGroups = rule.ApiGroups, Resources = [resource], Verbs = remaining });
            }
        }
        return kept;
    }

    private static bool Grants(V1PolicyRule rule, string group, string resource) =>
        (rule.ApiGroups ?? []).Contains(group) && (rule.Resources ?? []).Contains(resource);

    private static IEnumerable<V1PolicyRule> Rules(object item) => item switch
    {
        V1ClusterRole role => role.Rules ?? [],
        V1Role role => role.Rules ?? [],
        _ => [],
    };
}
