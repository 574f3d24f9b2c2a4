using System.Net;
using System.Text.Json;
using Conductor.Resources.Dispatcher;
using Conductor.Resources.Seam;
using Conductor.Discovery;
using k8s;
using k8s.Autorest;

namespace Conductor.Silo.Drift;

/// <summary>
/// Pack drift (agent notes §3.6 step 2–3): whether every object a PackReceipt's <c>spec.deployedResources</c> lists
/// exists on this cluster. Kinds are resolved to resources through API discovery, never by guessing plurals (the
/// reference's <c>endpointss</c>/<c>priorityclasss</c> false drift, §9 item 6). The first missing object is the
/// drift; an object in a Terminating namespace is going away on purpose and is not.
/// </summary>
public sealed partial class PackDriftCheck(IKubernetes local, ApiDiscovery discovery, ILogger logger)
{
    /// <summary>The observation for <c>drift-{receipt}</c>, or null when the receipt is not to be judged (unverified).</summary>
    public async Task<DriftObservation?> CheckAsync(PackReceipt receipt, CancellationToken cancellationToken)
    {
        var name = receipt.Metadata.Name;
        var signal = DriftNames.PackSignal(name);
        if (receipt.Status?.Verified == false)
        {
            // A receipt whose signature failed is not acted on at all; redeploying it would act on an unverified pack.
            LogUnverified(logger, receipt.Metadata.NamespaceProperty, name);
            return null;
        }
        foreach (var entry in receipt.Spec.DeployedResources ?? [])
        {
            if (entry.ApiVersion.Length == 0 || entry.Kind.Length == 0 || entry.Name.Length == 0)
            {
                LogIncomplete(logger, receipt.Metadata.NamespaceProperty, name, entry.ApiVersion, entry.Kind, entry.Name);
                continue;
            }
            if (await IsMissingAsync(receipt, entry, cancellationToken))
            {
                var reason = $"resource {entry.ApiVersion} {entry.Kind}/{entry.Namespace ?? ""}/{entry.Name} missing from cluster";
                return new DriftObservation(signal, true, reason, Affected(entry), DriftNames.SignalPrefix);
            }
        }
        return new DriftObservation(signal, false, "", new AffectedObjectRef { Kind = PackReceipt.KindName, Name = name }, DriftNames.SignalPrefix);
    }

    private async Task<bool> IsMissingAsync(PackReceipt receipt, DeployedResource entry, CancellationToken cancellationToken)
    {
        ServedResource? served;
        try
        {
            served = await discovery.ResolveAsync(entry.ApiVersion, entry.Kind, cancellationToken);
        }
        catch (ArgumentException e)
        {
            LogUnresolvable(logger, receipt.Metadata.Name, entry.ApiVersion, entry.Kind, e.Message);
            return false;
        }
        if (served is null)
        {
            LogUnresolvable(logger, receipt.Metadata.Name, entry.ApiVersion, entry.Kind, "the API server does not serve this kind");
            return false;
        }
        if (served.Namespaced && string.IsNullOrEmpty(entry.Namespace))
        {
            LogUnresolvable(logger, receipt.Metadata.Name, entry.ApiVersion, entry.Kind, $"{entry.Kind} is namespaced but the entry has no namespace");
            return false;
        }
        try
        {
            if (served.Namespaced)
            {
                await local.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(served.Group, served.Version, entry.Namespace!, served.Plural,
                    entry.Name, cancellationToken);
            }
            else
            {
                await local.CustomObjects.GetClusterCustomObjectAsync<JsonElement>(served.Group, served.Version, served.Plural, entry.Name,
                    cancellationToken);
            }
            return false;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return !served.Namespaced || !await IsTerminatingAsync(entry.Namespace!, cancellationToken);
        }
        catch (HttpOperationException e)
        {
            // Not a verdict either way: the next pass tries again.
            LogReadFailed(logger, entry.Kind, entry.Namespace ?? "", entry.Name, (int)e.Response.StatusCode, e.Message);
            return false;
        }
    }

    private async Task<bool> IsTerminatingAsync(string @namespace, CancellationToken cancellationToken)
    {
        try
        {
            var ns = await local.CoreV1.ReadNamespaceAsync(@namespace, cancellationToken: cancellationToken);
            return ns.Metadata.DeletionTimestamp is not null;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static AffectedObjectRef Affected(DeployedResource entry)
    {
        var slash = entry.ApiVersion.LastIndexOf('/');
        return new AffectedObjectRef
        {
            // Omitted rather than "": this API server rejects an empty string in these fields as null.
            Group = slash < 0 ? null : entry.ApiVersion[..slash],
            Kind = entry.Kind,
            Namespace = string.IsNullOrEmpty(entry.Namespace) ? null : entry.Namespace,
            Name = entry.Name,
        };
    }

    [LoggerMessage(1, LogLevel.Information, "Skipping drift check of PackReceipt {Namespace}/{Name}: its signature did not verify (status.verified=false); fix the signature first")]
    private static partial void LogUnverified(ILogger logger, string @namespace, string name);

    [LoggerMessage(2, LogLevel.Warning, "PackReceipt {Namespace}/{Name} lists a deployed resource without apiVersion, kind or name ({ApiVersion} {Kind} {Resource}); it is not checked for drift")]
    private static partial void LogIncomplete(ILogger logger, string @namespace, string name, string apiVersion, string kind, string resource);

    [LoggerMessage(3, LogLevel.Warning, "PackReceipt {Name}: cannot check {ApiVersion} {Kind} for drift: {Reason}; check the receipt's deployedResources and that the kind's CRD is installed")]
    private static partial void LogUnresolvable(ILogger logger, string name, string apiVersion, string kind, string reason);

    [LoggerMessage(4, LogLevel.Warning, "Reading {Kind} {Namespace}/{Name} for drift failed ({Status}): {Reason}; retrying next pass")]
    private static partial void LogReadFailed(ILogger logger, string kind, string @namespace, string name, int status, string reason);
}
