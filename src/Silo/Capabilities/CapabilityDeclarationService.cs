using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conductor.Resources;
using Conductor.Resources.Seam;
using Conductor.Silo.Leadership;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Capabilities;

/// <summary>
/// Declares this image's capability manifest, agentVersion and agentLeader in the status of
/// <c>RunnerConfig {cluster}</c>, as the leader of each term (both roles). It compares before it writes, retries with
/// backoff, says plainly when the RunnerConfig does not exist, and re-checks so a recreated RunnerConfig gets the
/// manifest back.
/// </summary>
public sealed partial class CapabilityDeclarationService(
    IServiceProvider services, ILeadership leadership, LeaderOnlyWriter writer, IOptions<CapabilityDeclarationOptions> options,
    TimeProvider time, ILogger<CapabilityDeclarationService> logger) : BackgroundService
{
    private readonly CapabilityDeclarationOptions _options = options.Value;
    private long _declarations;

    /// <summary>How many status writes this replica made.</summary>
    public long Declarations => Interlocked.Read(ref _declarations);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => leadership.RunEachTermAsync(DeclareForTermAsync, stoppingToken);

    private async Task DeclareForTermAsync(CancellationToken term)
    {
        var failures = 0;
        while (!term.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                await DeclareOnceAsync(term);
                failures = 0;
                wait = _options.RecheckInterval;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                failures++;
                wait = Backoff(failures);
                LogRunnerConfigMissing(logger, _options.Namespace, _options.RunnerConfigName, failures, wait.TotalSeconds);
            }
            catch (Exception e) when (e is not OperationCanceledException and not NotLeaderException)
            {
                failures++;
                wait = Backoff(failures);
                LogDeclarationFailed(logger, _options.Namespace, _options.RunnerConfigName, failures, wait.TotalSeconds, e.Message, e);
            }
            await Task.Delay(wait, time, term);
        }
    }

    /// <summary>Reads the RunnerConfig and writes the status only when the manifest, version or leader differ.</summary>
    internal async Task DeclareOnceAsync(CancellationToken cancellationToken)
    {
        var client = services.GetRequiredService<IKubernetes>();
        var current = await client.CustomObjects.GetNamespacedCustomObjectAsync<RunnerConfig>(
            SeamApi.Group, SeamApi.Version, _options.Namespace, RunnerConfig.Plural, _options.RunnerConfigName, cancellationToken);
        var manifest = CapabilityManifest.Build();
        var status = current.Status;
        if (status is not null && status.AgentVersion == CapabilityManifest.AgentVersion && status.AgentLeader == leadership.Identity
            && SameManifest(status.Capabilities, manifest))
        {
            return;
        }
        var patch = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["capabilities"] = JsonSerializer.SerializeToNode(manifest),
                ["agentVersion"] = CapabilityManifest.AgentVersion,
                ["agentLeader"] = leadership.Identity,
            },
        };
        LogDeclaring(logger, _options.Namespace, _options.RunnerConfigName, manifest.Count, current.Metadata.ResourceVersion);
        await writer.WriteAsync($"declare capabilities on RunnerConfig {_options.Namespace}/{_options.RunnerConfigName}", token =>
            client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
                SeamApi.Group, SeamApi.Version, _options.Namespace, RunnerConfig.Plural, _options.RunnerConfigName, cancellationToken: token), cancellationToken);
        Interlocked.Increment(ref _declarations);
    }

    private static bool SameManifest(IReadOnlyList<CapabilityDeclaration>? observed, IReadOnlyList<CapabilityDeclaration> desired) =>
        observed is not null && observed.Count == desired.Count && observed.Zip(desired).All(pair =>
            pair.First.Name == pair.Second.Name && pair.First.Version == pair.Second.Version && pair.First.Description == pair.Second.Description
            && JsonNode.DeepEquals(Node(pair.First.Parameters), Node(pair.Second.Parameters)));

    private static JsonNode? Node(JsonElement? element) => element is { } e ? JsonNode.Parse(e.GetRawText()) : null;

    private TimeSpan Backoff(int failures) =>
        TimeSpan.FromTicks(Math.Min(_options.MaxBackoff.Ticks, _options.InitialBackoff.Ticks * (1L << Math.Min(failures - 1, 20))));

    [LoggerMessage(1, LogLevel.Information, "Declaring {Count} capabilities on RunnerConfig {Namespace}/{Name} at resourceVersion {ResourceVersion}")]
    private static partial void LogDeclaring(ILogger logger, string @namespace, string name, int count, string resourceVersion);

    [LoggerMessage(2, LogLevel.Error, "RunnerConfig {Namespace}/{Name} does not exist, so the capability manifest cannot be declared (attempt {Failures}, retrying in {DelaySeconds} s); create it: `compiler enable` writes it for this cluster")]
    private static partial void LogRunnerConfigMissing(ILogger logger, string @namespace, string name, int failures, double delaySeconds);

    [LoggerMessage(3, LogLevel.Warning, "Declaring capabilities on RunnerConfig {Namespace}/{Name} failed (attempt {Failures}, retrying in {DelaySeconds} s): {Reason}; check the API server and that the agent may get runnerconfigs and patch runnerconfigs/status")]
    private static partial void LogDeclarationFailed(ILogger logger, string @namespace, string name, int failures, double delaySeconds, string reason, Exception exception);
}
