using Conductor.Compiler.OperatorBundle.Rbac;
using Conductor.Resources.Guardian;
using Conductor.Resources.Seam;
using k8s.Models;

namespace Conductor.Compiler.OperatorBundle.Workloads;

/// <summary>Builds the Kubernetes objects every operator gets: identity, RBAC, pod, metrics Service, lease.</summary>
public static class OperatorObjects
{
    public const string ManagementPolicy = "management-policy";
    public const string ManagementMaximum = "management-maximum";

    public static V1ObjectMeta Meta(string name, string? @namespace, Dictionary<string, string> labels,
        Dictionary<string, string>? annotations = null) =>
        new() { Name = name, NamespaceProperty = @namespace, Labels = labels, Annotations = annotations };

    public static V1ServiceAccount ServiceAccount(Operator op, string component = "operator") => new()
    {
        ApiVersion = "v1",
        Kind = "ServiceAccount",
        Metadata = Meta(op.ServiceAccount, op.Namespace, Labels.Of(op.Name, component)),
        AutomountServiceAccountToken = true,
    };

    /// <summary>ClusterRole + binding for the cluster rules, Role + binding in the operator's namespace for the rest.</summary>
    public static IEnumerable<object> Rbac(Operator op, string? roleName = null, string? serviceAccount = null, string component = "operator")
    {
        var name = roleName ?? op.Name;
        var subject = new Rbacv1Subject { Kind = "ServiceAccount", Name = serviceAccount ?? op.ServiceAccount, NamespaceProperty = op.Namespace };
        var owned = new Dictionary<string, string> { [Labels.RbacOwner] = "guardian" };
        if (op.Permissions.Cluster.Count > 0)
        {
            yield return new V1ClusterRole
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "ClusterRole",
                Metadata = Meta(name, null, Labels.Of(op.Name, component), owned),
                Rules = [.. op.Permissions.Cluster],
            };
            yield return new V1ClusterRoleBinding
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "ClusterRoleBinding",
                Metadata = Meta(name, null, Labels.Of(op.Name, component), owned),
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = name },
                Subjects = [subject],
            };
        }
        if (op.Permissions.Namespaced.Count > 0)
        {
            yield return new V1Role
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "Role",
                Metadata = Meta(name, op.Namespace, Labels.Of(op.Name, component), owned),
                Rules = [.. op.Permissions.Namespaced],
            };
            yield return new V1RoleBinding
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "RoleBinding",
                Metadata = Meta(name, op.Namespace, Labels.Of(op.Name, component), owned),
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = name },
                Subjects = [subject],
            };
        }
    }

    /// <summary>The guardian RBACProfile of an operator: its principal under the management policy.</summary>
    public static RBACProfile Profile(Operator op, string clusterName) => new()
    {
        Metadata = Meta($"rbac-{op.Name}", Labels.SeamSystem, Labels.Of(op.Name, "operator"),
            new Dictionary<string, string> { [Labels.ReviewRequired] = "true" }),
        Spec = new RBACProfileSpec
        {
            PrincipalRef = op.Principal,
            TargetClusters = [clusterName],
            RbacPolicyRef = ManagementPolicy,
            PermissionDeclarations = [new PermissionDeclaration { PermissionSetRef = ManagementMaximum, Scope = PermissionScope.Cluster }],
            DomainIdentityRef = op.Name,
        },
    };

    public static SeamMembership Membership(Operator op) => new()
    {
        Metadata = Meta(op.Name, Labels.SeamSystem, Labels.Of(op.Name, "seam-membership")),
        Spec = new SeamMembershipSpec
        {
            AppIdentityRef = op.Name,
            DomainIdentityRef = op.Name,
            PrincipalRef = op.Principal,
            Tier = MembershipTier.Infrastructure,
        },
    };

    public static V1Service MetricsService(Operator op) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = Meta($"{op.Name}-metrics", op.Namespace, Labels.Of(op.Name, "metrics")),
        Spec = new V1ServiceSpec
        {
            Selector = new Dictionary<string, string> { [Labels.Name] = op.Name },
            Ports = [new V1ServicePort { Name = "metrics", Port = Operator.MetricsPort, TargetPort = "metrics", Protocol = "TCP" }],
        },
    };

    public static V1Lease Lease(string name, string @namespace, string owner) => new()
    {
        ApiVersion = "coordination.k8s.io/v1",
        Kind = "Lease",
        Metadata = Meta(name, @namespace, Labels.Of(owner, "leader-election")),
        Spec = new V1LeaseSpec(),
    };

    public static V1EnvVar Env(string name, string value) => new() { Name = name, Value = value };

    public static V1EnvVar FieldEnv(string name, string path) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = path } } };

    /// <summary>
    /// A Deployment under the restricted pod security standard: non-root uid 65532, read-only root, no capabilities,
    /// RuntimeDefault seccomp, requests and limits, and an emptyDir at /tmp as the only writable path.
    /// </summary>
    public static V1Deployment Deployment(Operator op, string image, IEnumerable<V1EnvVar> env, IEnumerable<V1ContainerPort> ports,
        IEnumerable<V1Volume>? volumes = null, IEnumerable<V1VolumeMount>? mounts = null, IList<string>? args = null,
        Dictionary<string, string>? podLabels = null, V1Probe? readiness = null, V1Probe? liveness = null)
    {
        var selector = new Dictionary<string, string> { [Labels.Name] = op.Name };
        var templateLabels = new Dictionary<string, string> { [Labels.Name] = op.Name, [Labels.Component] = "operator" };
        foreach (var (key, value) in podLabels ?? [])
        {
            templateLabels[key] = value;
        }
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = Meta(op.Name, op.Namespace, Labels.Of(op.Name, "operator")),
            Spec = new V1DeploymentSpec
            {
                Replicas = 2,
                Selector = new V1LabelSelector { MatchLabels = selector },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = templateLabels },
                    Spec = new V1PodSpec
                    {
                        ServiceAccountName = op.ServiceAccount,
                        TerminationGracePeriodSeconds = 30,
                        SecurityContext = new V1PodSecurityContext
                        {
                            RunAsNonRoot = true,
                            RunAsUser = 65532,
                            RunAsGroup = 65532,
                            FsGroup = 65532,
                            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                        },
                        Containers =
                        [
                            new V1Container
                            {
                                Name = op.Name,
                                Image = image,
                                ImagePullPolicy = "IfNotPresent",
                                Args = args,
                                Env = [.. env],
                                Ports = [.. ports],
                                Resources = op.Resources,
                                ReadinessProbe = readiness,
                                LivenessProbe = liveness,
                                SecurityContext = new V1SecurityContext
                                {
                                    AllowPrivilegeEscalation = false,
                                    ReadOnlyRootFilesystem = true,
                                    RunAsNonRoot = true,
                                    Capabilities = new V1Capabilities { Drop = ["ALL"] },
                                    SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                                },
                                VolumeMounts = [new V1VolumeMount { Name = "tmp", MountPath = "/tmp" }, .. mounts ?? []],
                            },
                        ],
                        Volumes = [new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("64Mi") } }, .. volumes ?? []],
                    },
                },
            },
        };
    }

    public static V1Probe HttpProbe(string path, string port) =>
        new() { HttpGet = new V1HTTPGetAction { Path = path, Port = port }, PeriodSeconds = 10, TimeoutSeconds = 2 };

    public static V1Deployment StandardOperator(Operator op, EnableSettings settings, IEnumerable<V1EnvVar> extraEnv,
        IEnumerable<V1ContainerPort>? extraPorts = null, IEnumerable<V1Volume>? volumes = null, IEnumerable<V1VolumeMount>? mounts = null) =>
        Deployment(op, settings.Image(op.Name),
            [FieldEnv("POD_NAMESPACE", "metadata.namespace"), FieldEnv("POD_NAME", "metadata.name"), .. extraEnv],
            [new V1ContainerPort { Name = "metrics", ContainerPort = Operator.MetricsPort, Protocol = "TCP" }, .. extraPorts ?? []],
            volumes, mounts);
}
