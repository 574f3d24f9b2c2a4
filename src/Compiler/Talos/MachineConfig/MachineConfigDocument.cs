using System.Text;
using System.Text.Json.Nodes;
using Conductor.Compiler.Bootstrap.Input;
using Conductor.Compiler.Talos.Pki;

namespace Conductor.Compiler.Talos.MachineConfig;

/// <summary>
/// Builds the Talos v1alpha1 machine-config document of one node, field for field as Talos' generator lays it out for
/// the version contract (compiler notes §1.6): keys in Talos' struct order, version-gated features, and the worker
/// trimming (no CA keys, no control-plane components).
/// </summary>
internal static class MachineConfigDocument
{
    public const string Version = "v1alpha1";
    public const string DnsDomain = "cluster.local";
    public const string PodSubnet = "10.244.0.0/16";
    public const string ServiceSubnet = "10.96.0.0/12";
    public const int KubePrismPort = 7445;

    public static JsonObject Build(ClusterConfigInputs cluster, string nodeRole, string hostname)
    {
        var controlPlane = NodeRoles.HoldsClusterSecrets(nodeRole);
        return new JsonObject
        {
            ["version"] = Version,
            ["debug"] = false,
            ["persist"] = true,
            ["machine"] = Machine(cluster, nodeRole, hostname, controlPlane),
            ["cluster"] = controlPlane ? ControlPlaneCluster(cluster) : WorkerCluster(cluster),
        };
    }

    private static JsonObject Machine(ClusterConfigInputs cluster, string nodeRole, string hostname, bool controlPlane)
    {
        var contract = cluster.TalosVersion;
        var secrets = cluster.Secrets;
        var ca = new JsonObject { ["crt"] = Base64(secrets.OsCa.CertificatePem) };
        if (controlPlane)
        {
            ca["key"] = Base64(secrets.OsCa.PrivateKeyPem);
        }
        var features = new JsonObject
        {
            ["rbac"] = true,
            ["stableHostname"] = true,
            ["apidCheckExtKeyUsage"] = true,
            ["diskQuotaSupport"] = true,
        };
        if (contract.KubePrism)
        {
            features["kubePrism"] = new JsonObject { ["enabled"] = true, ["port"] = KubePrismPort };
        }
        if (contract.HostDns)
        {
            var hostDns = new JsonObject { ["enabled"] = true };
            if (contract.ForwardKubeDnsToHost)
            {
                hostDns["forwardKubeDNSToHost"] = true;
            }
            features["hostDNS"] = hostDns;
        }
        var machine = new JsonObject
        {
            ["type"] = nodeRole,
            ["token"] = secrets.TrustdToken,
            ["ca"] = ca,
            ["certSANs"] = new JsonArray(),
            ["kubelet"] = new JsonObject
            {
                ["image"] = $"ghcr.io/siderolabs/kubelet:v{cluster.KubernetesVersion}",
                ["defaultRuntimeSeccompProfileEnabled"] = true,
                ["disableManifestsDirectory"] = true,
            },
            // The reference leaves the hostname to DHCP; the declaration names every node, so the config does too.
            ["network"] = new JsonObject { ["hostname"] = hostname },
            ["install"] = new JsonObject
            {
                ["disk"] = cluster.InstallDisk,
                ["image"] = cluster.InstallerImage,
                ["wipe"] = false,
            },
            ["registries"] = new JsonObject(),
            ["features"] = features,
        };
        if (controlPlane && contract.ExcludeControlPlaneFromLoadBalancers)
        {
            machine["nodeLabels"] = new JsonObject { ["node.kubernetes.io/exclude-from-external-load-balancers"] = "" };
        }
        return machine;
    }

    private static JsonObject ControlPlaneCluster(ClusterConfigInputs cluster)
    {
        var secrets = cluster.Secrets;
        var image = (string component) => new JsonObject { ["image"] = $"registry.k8s.io/{component}:v{cluster.KubernetesVersion}" };
        var apiServer = image("kube-apiserver");
        apiServer["certSANs"] = new JsonArray(cluster.Endpoint.Host.Trim('[', ']'));
        apiServer["disablePodSecurityPolicy"] = true;
        apiServer["admissionControl"] = new JsonArray(PodSecurityAdmission());
        apiServer["auditPolicy"] = new JsonObject
        {
            ["apiVersion"] = "audit.k8s.io/v1",
            ["kind"] = "Policy",
            ["rules"] = new JsonArray(new JsonObject { ["level"] = "Metadata" }),
        };
        return new JsonObject
        {
            ["id"] = secrets.ClusterId,
            ["secret"] = secrets.ClusterSecret,
            ["controlPlane"] = new JsonObject { ["endpoint"] = cluster.Endpoint.OriginalString },
            ["clusterName"] = cluster.ClusterName,
            ["network"] = Network(),
            ["token"] = secrets.BootstrapToken,
            ["secretboxEncryptionSecret"] = secrets.SecretboxEncryptionSecret,
            ["ca"] = Pair(secrets.KubernetesCa),
            ["aggregatorCA"] = Pair(secrets.AggregatorCa),
            ["serviceAccount"] = new JsonObject { ["key"] = Base64(secrets.ServiceAccountKeyPem) },
            ["apiServer"] = apiServer,
            ["controllerManager"] = image("kube-controller-manager"),
            ["proxy"] = image("kube-proxy"),
            ["scheduler"] = image("kube-scheduler"),
            ["discovery"] = Discovery(),
            ["etcd"] = new JsonObject { ["ca"] = Pair(secrets.EtcdCa) },
            ["extraManifests"] = new JsonArray(),
            ["inlineManifests"] = new JsonArray(),
        };
    }

    private static JsonObject WorkerCluster(ClusterConfigInputs cluster)
    {
        var secrets = cluster.Secrets;
        var result = new JsonObject
        {
            ["id"] = secrets.ClusterId,
            ["secret"] = secrets.ClusterSecret,
            ["controlPlane"] = new JsonObject { ["endpoint"] = cluster.Endpoint.OriginalString },
        };
        if (cluster.TalosVersion.ClusterNameForWorkers)
        {
            result["clusterName"] = cluster.ClusterName;
        }
        result["network"] = Network();
        result["token"] = secrets.BootstrapToken;
        result["ca"] = new JsonObject { ["crt"] = Base64(secrets.KubernetesCa.CertificatePem) };
        result["discovery"] = Discovery();
        return result;
    }

    private static JsonObject Network() => new()
    {
        ["dnsDomain"] = DnsDomain,
        ["podSubnets"] = new JsonArray(PodSubnet),
        ["serviceSubnets"] = new JsonArray(ServiceSubnet),
    };

    private static JsonObject Discovery() => new()
    {
        ["enabled"] = true,
        ["registries"] = new JsonObject { ["kubernetes"] = new JsonObject { ["disabled"] = true } },
    };

    private static JsonObject PodSecurityAdmission() => new()
    {
        ["name"] = "PodSecurity",
        ["configuration"] = new JsonObject
        {
            ["apiVersion"] = "pod-security.admission.config.k8s.io/v1alpha1",
            ["defaults"] = new JsonObject
            {
                ["audit"] = "restricted",
                ["audit-version"] = "latest",
                ["enforce"] = "baseline",
                ["enforce-version"] = "latest",
                ["warn"] = "restricted",
                ["warn-version"] = "latest",
            },
            ["exemptions"] = new JsonObject
            {
                ["namespaces"] = new JsonArray("kube-system"),
                ["runtimeClasses"] = new JsonArray(),
                ["usernames"] = new JsonArray(),
            },
            ["kind"] = "PodSecurityConfiguration",
        },
    };

    private static JsonObject Pair(CertificateAuthority ca) => new()
    {
        ["crt"] = Base64(ca.CertificatePem),
        ["key"] = Base64(ca.PrivateKeyPem),
    };

    public static string Base64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
}
