using System.Text.Json.Nodes;
using Conductor.Compiler.OperatorBundle.Rbac;
using Conductor.Compiler.OperatorBundle.Workloads;
using Conductor.Compiler.Rendering;
using k8s.Models;
using static Conductor.Compiler.OperatorBundle.Workloads.AgentContract;

namespace Conductor.Compiler.OperatorBundle.Phases;

/// <summary>
/// Phase 04: the Conductor agent in ont-system, stamped with its role: RBAC, Lease, RBACProfile (management),
/// the Ed25519 signing-key Secret, the federation certificates (management), the Deployment and its Service.
/// </summary>
public static class ConductorPhase
{
    public const string Directory = "04-conductor";
    private const string CertManagerApi = "cert-manager.io/v1";

    public static readonly Operator Executor = new("conductor-execute", Labels.OntSystem, OperatorPermissions.Executor,
        Operator.Sized("100m", "128Mi", "1", "512Mi"));

    public static Phase Build(EnableSettings settings)
    {
        var conductor = Operator.Conductor(settings.Role);
        var management = settings.Role == AgentRole.Management;
        var files = new List<Manifest>
        {
            Manifest.Of("conductor-rbac.yaml", Phase.Header(Directory, $"The {settings.RoleName} agent's ServiceAccount and least-privilege RBAC."),
                management
                    ? [OperatorObjects.ServiceAccount(conductor), .. OperatorObjects.Rbac(conductor),
                       OperatorObjects.ServiceAccount(Executor, "executor"), .. OperatorObjects.Rbac(Executor, component: "executor")]
                    : [OperatorObjects.ServiceAccount(conductor), .. OperatorObjects.Rbac(conductor)]),
            Manifest.Of("conductor-lease.yaml", Phase.Header(Directory, "The agent's leader-election Lease."),
                OperatorObjects.Lease($"conductor-{settings.ClusterName}", Labels.OntSystem, "conductor")),
        };
        if (management)
        {
            files.Add(Manifest.Of("conductor-rbacprofile.yaml", Phase.Header(Directory, "The agent's RBACProfile."),
                OperatorObjects.Profile(conductor, settings.ClusterName)));
            files.Add(Manifest.Of("conductor-federation-certificates.yaml",
                Phase.Header(Directory, "The management federation CA (it also issues tenant client certificates) and the gateway's serving certificate."),
                FederationCertificates(settings)));
        }
        files.Add(Manifest.Of("conductor-signing-key.yaml",
            Phase.Header(Directory, management
                ? "The Ed25519 signing key (PKCS#8) and its public key (PKIX). The only file that differs between runs unless a key is given."
                : "The management cluster's Ed25519 public key (PKIX), to verify what management signed."),
            SigningSecret(settings)));
        files.Add(Manifest.Of("conductor-deployment.yaml", Phase.Header(Directory, $"The Conductor agent, {Role}={settings.RoleName}."),
            Deployment(conductor, settings)));
        files.Add(Manifest.Of("conductor-service.yaml", Phase.Header(Directory, "The agent's Service."), Service(conductor, management)));
        return new Phase(Directory, "conductor", "4",
            $"The conductor Deployment in ont-system is Available with {Role}={settings.RoleName}" +
            (management ? ", guardian reports RBACProfile rbac-conductor provisioned and the Certificate conductor-federation-tls is Ready." :
                $", after the platform has written the Secret ont-system/{FederationClientSecret} with this cluster's federation client certificate."),
            files);
    }

    private static V1Secret SigningSecret(EnableSettings settings)
    {
        var labels = Labels.Of("conductor", "signing");
        if (settings.Role == AgentRole.Management)
        {
            var key = settings.SigningKey ?? throw new InvalidOperationException("A management bundle needs a signing key.");
            return new V1Secret
            {
                ApiVersion = "v1",
                Kind = "Secret",
                Type = "Opaque",
                Metadata = OperatorObjects.Meta(AgentContract.SigningSecret, Labels.OntSystem, labels,
                    new Dictionary<string, string> { [Labels.RotateVia] = "compiler enable --signing-private-key=<path> --output-public-key=<path>" }),
                StringData = new Dictionary<string, string> { [PrivateKeyFile] = key.ExportPem(), [PublicKeyFile] = key.PublicKey.ExportPem() },
            };
        }
        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Type = "Opaque",
            Metadata = OperatorObjects.Meta(AgentContract.SigningSecret, Labels.OntSystem, labels,
                new Dictionary<string, string> { [Labels.KeySource] = "management-cluster-public-key" }),
            StringData = new Dictionary<string, string> { [PublicKeyFile] = settings.ManagementPublicKeyPem! },
        };
    }

    private static IEnumerable<JsonObject> FederationCertificates(EnableSettings settings)
    {
        JsonNode Meta(string name) => Manifest.Node(OperatorObjects.Meta(name, Labels.OntSystem, Labels.Of("conductor", "federation")));
        JsonObject Key() => new() { ["algorithm"] = "ECDSA", ["size"] = 256 };
        yield return new JsonObject
        {
            ["apiVersion"] = CertManagerApi, ["kind"] = "Issuer", ["metadata"] = Meta("conductor-federation-selfsigned"),
            ["spec"] = new JsonObject { ["selfSigned"] = new JsonObject() },
        };
        yield return new JsonObject
        {
            ["apiVersion"] = CertManagerApi, ["kind"] = "Certificate", ["metadata"] = Meta("conductor-federation-ca"),
            ["spec"] = new JsonObject
            {
                ["isCA"] = true, ["commonName"] = $"conductor-federation-ca-{settings.ClusterName}", ["secretName"] = "conductor-federation-ca",
                ["duration"] = "87600h", ["privateKey"] = Key(),
                ["issuerRef"] = new JsonObject { ["name"] = "conductor-federation-selfsigned", ["kind"] = "Issuer" },
            },
        };
        yield return new JsonObject
        {
            ["apiVersion"] = CertManagerApi, ["kind"] = "Issuer", ["metadata"] = Meta("conductor-federation-ca-issuer"),
            ["spec"] = new JsonObject { ["ca"] = new JsonObject { ["secretName"] = "conductor-federation-ca" } },
        };
        yield return new JsonObject
        {
            ["apiVersion"] = CertManagerApi, ["kind"] = "Certificate", ["metadata"] = Meta(FederationServerSecret),
            ["spec"] = new JsonObject
            {
                ["secretName"] = FederationServerSecret,
                ["dnsNames"] = new JsonArray("conductor.ont-system.svc", "conductor.ont-system.svc.cluster.local"),
                ["usages"] = new JsonArray("server auth"),
                ["privateKey"] = Key(),
                ["issuerRef"] = new JsonObject { ["name"] = "conductor-federation-ca-issuer", ["kind"] = "Issuer" },
            },
        };
    }

    private static V1Deployment Deployment(Operator conductor, EnableSettings settings)
    {
        var management = settings.Role == AgentRole.Management;
        var env = new List<V1EnvVar>
        {
            OperatorObjects.Env(Role, settings.RoleName),
            OperatorObjects.Env(ClusterRef, settings.ClusterName),
            OperatorObjects.FieldEnv(PodNamespace, "metadata.namespace"),
            OperatorObjects.FieldEnv(PodName, "metadata.name"),
            OperatorObjects.Env(InternalPort, $"{InternalPortNumber}"),
            OperatorObjects.Env(SigningPublicKeyPath, $"{SigningDirectory}/{PublicKeyFile}"),
            OperatorObjects.Env(FederationCaCertPath, $"{FederationDirectory}/ca.crt"),
        };
        var ports = new List<V1ContainerPort> { new() { Name = "internal", ContainerPort = InternalPortNumber, Protocol = "TCP" } };
        var volumes = new List<V1Volume>
        {
            new() { Name = "signing-key", Secret = new V1SecretVolumeSource { SecretName = AgentContract.SigningSecret, DefaultMode = 288 } },
        };
        var mounts = new List<V1VolumeMount>
        {
            new() { Name = "signing-key", MountPath = SigningDirectory, ReadOnlyProperty = true },
            new() { Name = "federation-tls", MountPath = FederationDirectory, ReadOnlyProperty = true },
        };
        if (management)
        {
            env.AddRange(
            [
                OperatorObjects.FieldEnv(PodIp, "status.podIP"),
                OperatorObjects.Env(SigningPrivateKeyPath, $"{SigningDirectory}/{PrivateKeyFile}"),
                OperatorObjects.Env(FederationPort, $"{FederationPortNumber}"),
                OperatorObjects.Env(FederationServerCertPath, $"{FederationDirectory}/tls.crt"),
                OperatorObjects.Env(FederationServerKeyPath, $"{FederationDirectory}/tls.key"),
                OperatorObjects.Env(SiloPort, $"{SiloPortNumber}"),
                OperatorObjects.Env(OrleansClusterId, $"conductor-{settings.ClusterName}"),
            ]);
            ports.Add(new V1ContainerPort { Name = "federation", ContainerPort = FederationPortNumber, Protocol = "TCP" });
            ports.Add(new V1ContainerPort { Name = "silo", ContainerPort = SiloPortNumber, Protocol = "TCP" });
            volumes.Add(new V1Volume { Name = "federation-tls", Secret = new V1SecretVolumeSource { SecretName = FederationServerSecret, DefaultMode = 288 } });
        }
        else
        {
            env.AddRange(
            [
                OperatorObjects.Env(ManagementEndpoint, settings.ManagementEndpoint!),
                OperatorObjects.Env(FederationClientCertPath, $"{FederationDirectory}/tls.crt"),
                OperatorObjects.Env(FederationClientKeyPath, $"{FederationDirectory}/tls.key"),
                OperatorObjects.Env(WalPath, WalDirectory),
            ]);
            volumes.Add(new V1Volume { Name = "federation-tls", Secret = new V1SecretVolumeSource { SecretName = FederationClientSecret, DefaultMode = 288 } });
            volumes.Add(new V1Volume { Name = "federation-wal", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("1Gi") } });
            mounts.Add(new V1VolumeMount { Name = "federation-wal", MountPath = WalDirectory });
        }
        return OperatorObjects.Deployment(conductor, settings.Image("conductor"), env, ports, volumes, mounts,
            podLabels: new Dictionary<string, string> { [Labels.Role] = settings.RoleName },
            readiness: OperatorObjects.HttpProbe(ReadinessPath, "internal"),
            liveness: OperatorObjects.HttpProbe(LivenessPath, "internal"));
    }

    private static V1Service Service(Operator conductor, bool management) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = OperatorObjects.Meta(conductor.Name, conductor.Namespace, Labels.Of(conductor.Name, "agent")),
        Spec = new V1ServiceSpec
        {
            Selector = new Dictionary<string, string> { [Labels.Name] = conductor.Name },
            Ports = management
                ?
                [
                    new V1ServicePort { Name = "federation", Port = FederationPortNumber, TargetPort = "federation", Protocol = "TCP" },
                    new V1ServicePort { Name = "internal", Port = InternalPortNumber, TargetPort = "internal", Protocol = "TCP" },
                ]
                : [new V1ServicePort { Name = "internal", Port = InternalPortNumber, TargetPort = "internal", Protocol = "TCP" }],
        },
    };
}
