using System.Text.Json.Nodes;
using Conductor.Compiler.OperatorBundle.Workloads;
using Conductor.Compiler.Rendering;
using Conductor.Resources;
using k8s.Models;

namespace Conductor.Compiler.OperatorBundle.Phases;

/// <summary>
/// Phase 02 (management): guardian's webhook certificate chain (a self-signed root, a CA Issuer, the serving
/// certificate), its Service, Deployment and metrics Service, then the admission webhooks, last so they never point
/// at a backend that is not serving yet.
/// </summary>
public static class GuardianDeploy
{
    public const string Directory = "02-guardian-deploy";
    private const string CertSecret = "guardian-webhook-cert";
    private const string CertManagerApi = "cert-manager.io/v1";

    public static Phase Build(EnableSettings settings)
    {
        var guardian = Operator.Guardian;
        return new Phase(Directory, "guardian-deploy", "2",
            "The guardian Deployment is Available, the Certificate guardian-webhook-cert is Ready and both " +
            "ValidatingWebhookConfigurations carry a caBundle. Only then apply 03-platform-dispatcher.",
            [
                Manifest.Of("guardian-certificates.yaml", Phase.Header(Directory, "cert-manager issuers and the webhook serving certificate."),
                    Certificates()),
                Manifest.Of("guardian-service.yaml", Phase.Header(Directory, "The Service behind guardian's admission webhooks."), Service(guardian)),
                Manifest.Of("guardian-deployment.yaml", Phase.Header(Directory, "Guardian, management role."), Deployment(guardian, settings)),
                Manifest.Of("guardian-metrics-service.yaml", Phase.Header(Directory, "Guardian's metrics endpoint."), OperatorObjects.MetricsService(guardian)),
                Manifest.Of("guardian-webhooks.yaml", Phase.Header(Directory, "Guardian's admission webhooks; cert-manager injects the caBundle."),
                    Webhook("guardian-rbac-webhook", "validate-rbac.guardian.ontai.dev", "/validate-rbac",
                    [
                        new V1RuleWithOperations { ApiGroups = ["rbac.authorization.k8s.io"], ApiVersions = ["v1"],
                            Resources = ["roles", "rolebindings", "clusterroles", "clusterrolebindings"], Operations = ["CREATE", "UPDATE"], Scope = "*" },
                        new V1RuleWithOperations { ApiGroups = [""], ApiVersions = ["v1"], Resources = ["serviceaccounts"],
                            Operations = ["CREATE", "UPDATE"], Scope = "*" },
                    ]),
                    Webhook("guardian-lineage-webhook", "validate-lineage.guardian.ontai.dev", "/validate-lineage",
                    [
                        new V1RuleWithOperations { ApiGroups = [GuardianApi.Group], ApiVersions = [GuardianApi.Version],
                            Resources = ["permissionsets", "rbacpolicies", "rbacprofiles"], Operations = ["UPDATE"], Scope = "*" },
                    ])),
            ]);
    }

    private static IEnumerable<JsonObject> Certificates()
    {
        // cert-manager kinds have no model here and the test server does not serve them: tests check them structurally.
        JsonNode Meta(string name) => Manifest.Node(OperatorObjects.Meta(name, Labels.SeamSystem, Labels.Of("guardian", "webhook")));
        yield return new JsonObject
        {
            ["apiVersion"] = CertManagerApi, ["kind"] = "Issuer", ["metadata"] = Meta("guardian-selfsigned"),
            ["spec"] = new JsonObject { ["selfSigned"] = new JsonObject() },
        };
        yield return new JsonObject
        {
            ["apiVersion"] = CertManagerApi, ["kind"] = "Certificate", ["metadata"] = Meta("guardian-ca"),
            ["spec"] = new JsonObject
            {
                ["isCA"] = true, ["commonName"] = "guardian-ca", ["secretName"] = "guardian-ca",
                ["privateKey"] = new JsonObject { ["algorithm"] = "ECDSA", ["size"] = 256 },
                ["issuerRef"] = new JsonObject { ["name"] = "guardian-selfsigned", ["kind"] = "Issuer" },
            },
        };
        yield return new JsonObject
        {
            ["apiVersion"] = CertManagerApi, ["kind"] = "Issuer", ["metadata"] = Meta("guardian-ca-issuer"),
            ["spec"] = new JsonObject { ["ca"] = new JsonObject { ["secretName"] = "guardian-ca" } },
        };
        yield return new JsonObject
        {
            ["apiVersion"] = CertManagerApi, ["kind"] = "Certificate", ["metadata"] = Meta(CertSecret),
            ["spec"] = new JsonObject
            {
                ["secretName"] = CertSecret,
                ["dnsNames"] = new JsonArray("guardian.seam-system.svc", "guardian.seam-system.svc.cluster.local"),
                ["privateKey"] = new JsonObject { ["algorithm"] = "ECDSA", ["size"] = 256 },
                ["issuerRef"] = new JsonObject { ["name"] = "guardian-ca-issuer", ["kind"] = "Issuer" },
            },
        };
    }

    private static V1Service Service(Operator guardian) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = OperatorObjects.Meta(guardian.Name, guardian.Namespace, Labels.Of(guardian.Name, "webhook")),
        Spec = new V1ServiceSpec
        {
            Selector = new Dictionary<string, string> { [Labels.Name] = guardian.Name },
            Ports = [new V1ServicePort { Name = "webhook", Port = 443, TargetPort = "webhook", Protocol = "TCP" }],
        },
    };

    private static V1Deployment Deployment(Operator guardian, EnableSettings settings) =>
        OperatorObjects.StandardOperator(guardian, settings,
            [
                OperatorObjects.FieldEnv("OPERATOR_NAMESPACE", "metadata.namespace"),
                OperatorObjects.Env("GUARDIAN_ROLE", "management"),
                OperatorObjects.Env("CNPG_SECRET_NAME", $"{InfrastructureDependencies.DatabaseCluster}-app"),
                OperatorObjects.Env("CNPG_SECRET_NAMESPACE", Labels.SeamSystem),
                OperatorObjects.Env("PERMISSION_SNAPSHOT_FRESHNESS_WINDOW", "3600"),
            ],
            [new V1ContainerPort { Name = "webhook", ContainerPort = Operator.WebhookPort, Protocol = "TCP" }],
            [new V1Volume { Name = "webhook-certs", Secret = new V1SecretVolumeSource { SecretName = CertSecret } }],
            [new V1VolumeMount { Name = "webhook-certs", MountPath = "/tmp/k8s-webhook-server/serving-certs", ReadOnlyProperty = true }]);

    private static V1ValidatingWebhookConfiguration Webhook(string name, string webhook, string path, IList<V1RuleWithOperations> rules) => new()
    {
        ApiVersion = "admissionregistration.k8s.io/v1",
        Kind = "ValidatingWebhookConfiguration",
        Metadata = OperatorObjects.Meta(name, null, Labels.Of("guardian", "webhook"),
            new Dictionary<string, string> { ["cert-manager.io/inject-ca-from"] = $"{Labels.SeamSystem}/{CertSecret}" }),
        Webhooks =
        [
            new V1ValidatingWebhook
            {
                Name = webhook,
                AdmissionReviewVersions = ["v1"],
                SideEffects = "None",
                FailurePolicy = "Fail",
                TimeoutSeconds = 10,
                NamespaceSelector = new V1LabelSelector
                {
                    MatchExpressions = [new V1LabelSelectorRequirement { Key = Labels.WebhookMode, OperatorProperty = "NotIn", Values = [Namespaces.Exempt] }],
                },
                Rules = rules,
                ClientConfig = new Admissionregistrationv1WebhookClientConfig
                {
                    Service = new Admissionregistrationv1ServiceReference { Name = "guardian", NamespaceProperty = Labels.SeamSystem, Path = path, Port = 443 },
                },
            },
        ],
    };
}
