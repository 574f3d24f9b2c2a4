namespace Conductor.Registry.Auth;

/// <summary>A username and password (or token) for one registry. <see cref="ToString"/> never shows the password.</summary>
public sealed record RegistryCredentials(string Username, string Password)
{
    /// <inheritdoc />
    public override string ToString() => $"RegistryCredentials {{ Username = {Username}, Password = *** }}";

    internal string ToBasicParameter() =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Username}:{Password}"));
}
