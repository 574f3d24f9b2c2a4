using Conductor.Grains.Signing;
using Conductor.Signing;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Signing;

/// <summary>
/// The signing key mounted from a Secret. The kubelet swaps a mounted Secret's files atomically when the Secret
/// changes, so the file is re-read every <see cref="SigningOptions.KeyReloadSeconds"/>; a new key id raises
/// <see cref="Rotated"/>. A file that stops parsing keeps the last good key and is logged with the fix.
/// </summary>
public sealed partial class SigningKeyFile : BackgroundService, ISigningKeys
{
    private readonly string _path;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger<SigningKeyFile> _logger;
    private Ed25519PrivateKey _current;

    public SigningKeyFile(IOptions<SigningOptions> options, TimeProvider time, ILogger<SigningKeyFile> logger)
    {
        _path = options.Value.PrivateKeyPath
            ?? throw new InvalidOperationException($"{SigningOptions.PrivateKeyPathEnvVar} is not set: set it to the mounted signing key file.");
        _interval = TimeSpan.FromSeconds(options.Value.KeyReloadSeconds);
        _time = time;
        _logger = logger;
        _current = Read(_path);
        LogLoaded(_logger, _path, _current.KeyId);
    }

    public Ed25519PrivateKey Current => Volatile.Read(ref _current);

    /// <summary>Raised with the new key after the file changed to a different key.</summary>
    public event Action<Ed25519PrivateKey>? Rotated;

    /// <summary>Reads the key file; the error names the file and the fix.</summary>
    public static Ed25519PrivateKey Read(string path)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SigningKeyException($"cannot read the signing key file {path} ({e.Message}); mount the signing key Secret there", e);
        }
        return Ed25519PrivateKey.FromPem(pem, path);
    }

    /// <summary>Re-reads the file now; returns whether the key changed.</summary>
    public bool Reload()
    {
        Ed25519PrivateKey fresh;
        try
        {
            fresh = Read(_path);
        }
        catch (SigningKeyException e)
        {
            LogUnreadable(_logger, _path, Current.KeyId, e.Message);
            return false;
        }
        var previous = Current;
        if (fresh.KeyId == previous.KeyId)
        {
            return false;
        }
        Volatile.Write(ref _current, fresh);
        LogRotated(_logger, previous.KeyId, fresh.KeyId);
        Rotated?.Invoke(fresh);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Reload();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Loaded signing key {KeyId} from {Path}")]
    private static partial void LogLoaded(ILogger logger, string path, string keyId);

    [LoggerMessage(2, LogLevel.Information, "Signing key rotated from {OldKeyId} to {KeyId}; re-signing every resource")]
    private static partial void LogRotated(ILogger logger, string oldKeyId, string keyId);

    [LoggerMessage(3, LogLevel.Error, "Signing key file {Path} is unreadable, still signing with {KeyId}: {Reason}; fix the signing key Secret")]
    private static partial void LogUnreadable(ILogger logger, string path, string keyId, string reason);
}
