using Conductor.Resources.Guardian;
using static Conductor.Components.Catalog.Grant;

namespace Conductor.Components.Catalog;

/// <summary>
/// cert-manager v1.16: controller, CA injector and webhook, each with its own service account. Leader election runs
/// in kube-system (the upstream default of --leader-election-namespace). The <c>issuers.cert-manager.io/*</c> resource
/// names are signer names, the form certificates.k8s.io uses for "any issuer of this kind", not an RBAC wildcard.
/// </summary>
internal static class CertManager
{
    private const string Group = "cert-manager.io";
    private const string Acme = "acme.cert-manager.io";
    private static readonly string[] Signers = ["issuers.cert-manager.io/*", "clusterissuers.cert-manager.io/*"];
    private static readonly string[] KubeSystem = ["kube-system"];

    public static ComponentDefinition Definition { get; } = new(
        "cert-manager", "v1.16", "cert-manager controller, CA injector and webhook", "cert-manager",
        [
            new(WorkloadKind.Deployment, "cert-manager", [Labels(("app.kubernetes.io/name", "cert-manager"), ("app.kubernetes.io/component", "controller"))]),
            new(WorkloadKind.Deployment, "cert-manager-cainjector", [Labels(("app.kubernetes.io/name", "cainjector"), ("app.kubernetes.io/component", "cainjector"))]),
            new(WorkloadKind.Deployment, "cert-manager-webhook",
                [Labels(("app.kubernetes.io/name", "webhook"), ("app.kubernetes.io/component", "webhook"), ("app.kubernetes.io/instance", "cert-manager"))]),
        ],
        [
            new("rbac-cert-manager", "cert-manager",
            [
                new("cert-manager-controller",
                    "Issuers, certificates, ACME orders and challenges (HTTP-01 solver pods, services, ingresses and Gateway API routes), " +
                    "ingress-shim, and signing of CertificateSigningRequests for cert-manager issuers.",
                    PermissionScope.Cluster,
                    [
                        Rule(Group, ["issuers", "clusterissuers", "certificates", "certificaterequests"], Read),
                        Rule(Group, ["certificates", "certificaterequests"], Write),
                        Rule(Group, ["issuers/status", "clusterissuers/status", "certificates/status", "certificaterequests/status"], "update", "patch"),
                        Rule(Group, ["certificates/finalizers", "certificaterequests/finalizers"], "update"),
                        Named(Group, ["signers"], Signers, "approve"),
                        Rule(Acme, ["orders", "challenges"], ReadWrite),
                        Rule(Acme, ["orders/status", "challenges/status"], "update", "patch"),
                        Rule(Acme, ["orders/finalizers", "challenges/finalizers"], "update"),
                        Rule(Core, ["secrets"], ReadWrite),
                        Rule(Core, ["pods", "services"], "get", "list", "watch", "create", "delete"),
                        Rule("networking.k8s.io", ["ingresses"], "get", "list", "watch", "create", "update", "delete"),
                        Rule("networking.k8s.io", ["ingresses/finalizers"], "update"),
                        Rule("gateway.networking.k8s.io", ["gateways", "httproutes"], Read),
                        Rule("gateway.networking.k8s.io", ["httproutes"], "create", "update", "delete"),
                        Rule("gateway.networking.k8s.io", ["gateways/finalizers", "httproutes/finalizers"], "update"),
                        Rule("certificates.k8s.io", ["certificatesigningrequests"], "get", "list", "watch", "update"),
                        Rule("certificates.k8s.io", ["certificatesigningrequests/status"], "update", "patch"),
                        Named("certificates.k8s.io", ["signers"], Signers, "sign"),
                        Rule("authorization.k8s.io", ["subjectaccessreviews"], "create"),
                        Events,
                    ]),
                LeaderElection("cert-manager-controller-leader-election", "the cert-manager controller", KubeSystem),
            ]),
            new("rbac-cert-manager-cainjector", "cert-manager-cainjector",
            [
                new("cert-manager-cainjector",
                    "Reads certificates and their Secrets and injects CA bundles into webhook configurations, API services and CRD conversion webhooks.",
                    PermissionScope.Cluster,
                    [
                        Rule(Group, ["certificates"], Read),
                        Rule(Core, ["secrets"], Read),
                        Rule("admissionregistration.k8s.io", ["validatingwebhookconfigurations", "mutatingwebhookconfigurations"], "get", "list", "watch", "update", "patch"),
                        Rule("apiregistration.k8s.io", ["apiservices"], "get", "list", "watch", "update", "patch"),
                        Rule("apiextensions.k8s.io", ["customresourcedefinitions"], "get", "list", "watch", "update", "patch"),
                        Events,
                    ]),
                LeaderElection("cert-manager-cainjector-leader-election", "the cert-manager CA injector", KubeSystem),
            ]),
            new("rbac-cert-manager-webhook", "cert-manager-webhook",
            [
                new("cert-manager-webhook-serving",
                    "The webhook's self-signed serving CA, kept in the Secret cert-manager-webhook-ca of its own namespace.",
                    PermissionScope.Namespaced,
                    [
                        Named(Core, ["secrets"], ["cert-manager-webhook-ca"], "get", "list", "watch", "update"),
                        Rule(Core, ["secrets"], "create"),
                    ]),
                new("cert-manager-webhook-authorization",
                    "SubjectAccessReviews, to check that a requester may use the issuer a resource names.",
                    PermissionScope.Cluster,
                    [Rule("authorization.k8s.io", ["subjectaccessreviews"], "create")]),
            ]),
        ]);
}
