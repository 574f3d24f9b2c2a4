namespace Conductor.Registry.Distribution;

/// <summary>The final response of a <see cref="RegistryCall"/> and how many attempts it took.</summary>
internal sealed record RegistryResponse(HttpResponseMessage Message, int Attempts) : IDisposable
{
    public void Dispose() => Message.Dispose();
}
