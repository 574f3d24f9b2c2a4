namespace Conductor.Silo.Custody;

/// <summary>
/// Whether this replica may write (DESIGN §2: only the tenant leader writes). Tenant leader election lives with tenant
/// governance; bind their leadership to this interface. <see cref="AlwaysWriteAuthority"/> is the single-replica default.
/// </summary>
public interface IWriteAuthority
{
    /// <summary>
    /// Completes once this replica holds the write authority, with a token that is cancelled when it is lost.
    /// </summary>
    Task<CancellationToken> AcquireAsync(CancellationToken cancellationToken);
}

/// <summary>Every replica may write: right for a single replica, and the default until leader election is bound.</summary>
public sealed class AlwaysWriteAuthority : IWriteAuthority
{
    public Task<CancellationToken> AcquireAsync(CancellationToken cancellationToken) => Task.FromResult(CancellationToken.None);
}
