namespace Conductor.Bench.Agent;

/// <summary>The smallest web host comparable to the agent: slim builder, one readiness endpoint, JSON console logs.</summary>
internal static class BaselineApp
{
    public static async Task RunAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole();
        var port = int.Parse(Environment.GetEnvironmentVariable("INTERNAL_PORT") ?? "8080", System.Globalization.CultureInfo.InvariantCulture);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenAnyIP(port));
        var app = builder.Build();
        app.MapGet("/readyz", () => "Healthy");
        await app.RunAsync();
    }
}
