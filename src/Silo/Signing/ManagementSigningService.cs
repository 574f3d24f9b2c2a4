using System.Text.Json;
using System.Collections.Concurrent;
using Conductor.Signing;
using Conductor.Silo.Health;
using Conductor.Silo.Kubernetes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Signing;

/// <summary>
/// Watches PackInstalled, PackDelivery and PermissionSnapshot in every namespace, plus the artifact Secrets, and hands
/// each new or changed resource to its <see cref="ISigningGrain"/> within moments of the event. Every silo runs this
/// service; the grain, one activation per resource cluster-wide, is the single writer. Bursts for the same resource are
/// coalesced (only the latest observation is signed), failures are retried with backoff, and a key rotation re-signs
/// everything the watches hold.
/// </summary>
public sealed partial class ManagementSigningService(
    IServiceProvider services, IOptions<SigningOptions> options, TimeProvider time, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);
    private static readonly SignedKind[] Kinds = [SignedKind.PackInstalled, SignedKind.PackDelivery, SignedKind.PermissionSnapshot];

    private readonly ILogger _logger = loggers.CreateLogger<ManagementSigningService>();
    private readonly ConcurrentDictionary<ResourceKey, SignableResource> _resources = new();
    private readonly ConcurrentDictionary<string, ObservedArtifact> _artifacts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ResourceKey, byte> _queued = new();
    private readonly ConcurrentDictionary<ResourceKey, int> _failures = new();
    private readonly ConcurrentDictionary<Task, byte> _inflight = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private int _stopped;
    private readonly List<IAsyncDisposable> _informers = [];
    private readonly List<IDisposable> _subscriptions = [];
    private SemaphoreSlim? _slots;
    private SigningKeyFile? _keys;
    private IGrainFactory? _grains;
    private Task? _start;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            LogDisabled(_logger, SigningOptions.PrivateKeyPathEnvVar);
            return;
        }
        _keys = services.GetRequiredService<SigningKeyFile>();
        _grains = services.GetRequiredService<IGrainFactory>();
        _slots = new SemaphoreSlim(options.Value.Concurrency);
        _keys.Rotated += _ => ScheduleAll();
        await _keys.StartAsync(cancellationToken);

        var client = services.GetRequiredService<IKubernetes>();
        var watchNamespace = string.IsNullOrWhiteSpace(options.Value.Namespace) ? null : options.Value.Namespace;
        var readiness = services.GetService<WatchReadiness>();
        var secrets = new ResourceInformer<V1Secret>(new ArtifactSecretSource(client, watchNamespace, cluster: null), time, _logger, readiness: readiness);
        _subscriptions.Add(secrets.Subscribe(OnArtifactAsync));
        _informers.Add(secrets);
        var watches = new List<ResourceInformer<SignableResource>>();
        foreach (var kind in Kinds)
        {
            var informer = new ResourceInformer<SignableResource>(new SignableResourceSource(client, kind, watchNamespace), time, _logger, readiness: readiness);
            _subscriptions.Add(informer.Subscribe((change, _) => OnResourceAsync(kind, change)));
            _informers.Add(informer);
            watches.Add(informer);
        }
        // Artifacts first, so the first signing pass already knows which Secrets exist and rewrites none needlessly.
        await secrets.StartAsync(cancellationToken);
        _start = Task.Run(async () =>
        {
            await secrets.ReadyAsync(_stopping.Token);
            foreach (var informer in watches)
            {
                await informer.StartAsync(_stopping.Token);
            }
        }, CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync();
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
        if (_start is { } start)
        {
            await start.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
        foreach (var informer in _informers)
        {
            await informer.DisposeAsync();
        }
        _informers.Clear();
        await Task.WhenAll(_inflight.Keys).WaitAsync(cancellationToken).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        if (_keys is { } keys)
        {
            await keys.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Registered under two service types, so the container may dispose it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
        _slots?.Dispose();
    }

    private Task OnResourceAsync(SignedKind kind, ResourceEvent<SignableResource> change)
    {
        var key = new ResourceKey(kind, change.Object.Metadata.NamespaceProperty ?? "", change.Object.Metadata.Name);
        if (change.Type == WatchEventType.Deleted)
        {
            _resources.TryRemove(key, out _);
            _failures.TryRemove(key, out _);
            return Task.CompletedTask;
        }
        _resources[key] = change.Object;
        Schedule(key);
        return Task.CompletedTask;
    }

    private Task OnArtifactAsync(ResourceEvent<V1Secret> change, CancellationToken cancellationToken)
    {
        var secret = change.Object;
        var secretKey = $"{secret.Metadata.NamespaceProperty}/{secret.Metadata.Name}";
        if (change.Type == WatchEventType.Deleted)
        {
            _artifacts.TryRemove(secretKey, out _);
        }
        else
        {
            _artifacts[secretKey] = ArtifactState(secret);
        }
        // A deleted or altered artifact is repaired by the grain of the PackInstalled it belongs to.
        var owner = secret.Metadata.Annotations?.TryGetValue(SignedArtifactSecret.PackInstalledAnnotation, out var name) == true ? name : null;
        if (owner is not null)
        {
            foreach (var key in _resources.Keys.Where(k => k.Kind == SignedKind.PackInstalled && k.Name == owner))
            {
                if (ArtifactKey(key) == secretKey)
                {
                    Schedule(key);
                }
            }
        }
        return Task.CompletedTask;
    }

    private void ScheduleAll()
    {
        foreach (var key in _resources.Keys)
        {
            Schedule(key);
        }
    }

    private void Schedule(ResourceKey key)
    {
        if (_stopping.IsCancellationRequested || !_queued.TryAdd(key, 0))
        {
            return; // Already queued: that pass will read the latest observation.
        }
        var run = Task.Run(() => SignLatestAsync(key), CancellationToken.None);
        _inflight.TryAdd(run, 0);
        run.ContinueWith(done => _inflight.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private async Task SignLatestAsync(ResourceKey key)
    {
        try
        {
            await _slots!.WaitAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        try
        {
            _queued.TryRemove(key, out _);
            if (!_resources.TryGetValue(key, out var resource))
            {
                return;
            }
            var outcome = await _grains!.GetGrain<ISigningGrain>(ISigningGrain.Key(key.Kind, key.Namespace, key.Name)).SignAsync(Request(key, resource));
            _failures.TryRemove(key, out _);
            if (outcome.Action == SigningAction.Signed)
            {
                LogSigned(_logger, key.Kind.ToString(), key.Namespace, key.Name, outcome.Signature ?? "");
            }
        }
        catch (Exception e) when (!_stopping.IsCancellationRequested)
        {
            var failures = _failures.AddOrUpdate(key, 1, (_, n) => n + 1);
            var delay = TimeSpan.FromMilliseconds(Math.Min(MaxRetryDelay.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures, 16))));
            LogFailed(_logger, key.Kind.ToString(), key.Namespace, key.Name, failures, delay.TotalSeconds, e.Message, e);
            _ = RetryAfterAsync(key, delay);
        }
        catch (Exception)
        {
            // Stopping: the next start signs from a fresh list.
        }
        finally
        {
            _slots!.Release();
        }
    }

    private async Task RetryAfterAsync(ResourceKey key, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, time, _stopping.Token);
            Schedule(key);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private SigningRequest Request(ResourceKey key, SignableResource resource) => new()
    {
        Kind = key.Kind,
        Namespace = key.Namespace,
        Name = key.Name,
        ResourceVersion = resource.Metadata.ResourceVersion ?? "",
        SpecJson = resource.SpecJson,
        SignatureAnnotation = resource.Annotation(SignatureAnnotations.Signature),
        SpecHashAnnotation = resource.Annotation(SignatureAnnotations.SpecHash),
        StatusSigned = resource.StatusField("signed") is { ValueKind: JsonValueKind.True or JsonValueKind.False } signed ? signed.GetBoolean() : null,
        StatusPackSignature = resource.StatusField("packSignature") is { ValueKind: JsonValueKind.String } packSignature ? packSignature.GetString() : null,
        Artifact = key.Kind == SignedKind.PackInstalled && ArtifactKey(key) is { } artifactKey && _artifacts.TryGetValue(artifactKey, out var artifact)
            ? artifact
            : null,
    };

    private string? ArtifactKey(ResourceKey key)
    {
        if (!_resources.TryGetValue(key, out var resource) || resource.Spec is not { ValueKind: System.Text.Json.JsonValueKind.Object } spec
            || !spec.TryGetProperty("targetClusterRef", out var cluster) || cluster.GetString() is not { Length: > 0 } name)
        {
            return null;
        }
        return $"{SignedArtifactSecret.TenantNamespace(name)}/{SignedArtifactSecret.Name(name, key.Name)}";
    }

    private static ObservedArtifact ArtifactState(V1Secret secret)
    {
        var data = secret.Data ?? new Dictionary<string, byte[]>();
        string? text(string key) => data.TryGetValue(key, out var value) ? System.Text.Encoding.UTF8.GetString(value) : null;
        var keyId = text(SignedArtifactSecret.KeyIdKey);
        var signature = data.TryGetValue(SignedArtifactSecret.SignatureKey, out var raw) ? Convert.ToBase64String(raw) : null;
        return new ObservedArtifact
        {
            ResourceVersion = secret.Metadata.ResourceVersion ?? "",
            Signature = keyId is null || signature is null ? null : SignatureAnnotations.Format(new SpecSignature(keyId, signature)),
            SpecHash = text(SignedArtifactSecret.SpecHashKey),
        };
    }

    private readonly record struct ResourceKey(SignedKind Kind, string Namespace, string Name);

    [LoggerMessage(1, LogLevel.Warning, "Signing is off: {Variable} is not set; set it to the mounted Ed25519 signing key so tenants can verify packs and permissions")]
    private static partial void LogDisabled(ILogger logger, string variable);

    [LoggerMessage(2, LogLevel.Debug, "Signed {Kind} {Namespace}/{Name}: {Signature}")]
    private static partial void LogSigned(ILogger logger, string kind, string @namespace, string name, string signature);

    [LoggerMessage(3, LogLevel.Warning, "Signing {Kind} {Namespace}/{Name} failed ({Failures} in a row), retrying in {DelaySeconds} s: {Reason}")]
    private static partial void LogFailed(ILogger logger, string kind, string @namespace, string name, int failures, double delaySeconds, string reason, Exception exception);
}
