using Conductor.Grains.Sequencing;
using Conductor.Observability;
using Conductor.Silo.Kubernetes;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Sequencing;

/// <summary>
/// Composes the step sequencer into a management silo: options, Kubernetes access, metrics, dispatcher, the two
/// watches and the Job cache one of them keeps for the grains.
/// </summary>
public static class SequencingExtensions
{
    /// <summary>
    /// Register after the Orleans silo; the watches start once the host has started (the silo with it), so their first
    /// grain calls find it ready.
    /// </summary>
    public static IServiceCollection AddStepSequencing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddKubernetesAccess();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptionsWithValidateOnStart<SequencerOptions>().Bind(configuration);
        services.AddSingleton<IValidateOptions<SequencerOptions>, SequencerOptionsValidator>();
        services.AddConductorMetrics();
        services.AddSingleton<SequencerJobCache>();
        services.AddSingleton<IStepJobCache>(provider => provider.GetRequiredService<SequencerJobCache>());
        services.AddSingleton<SequencerDispatcher>();
        services.AddSingleton<RunnerConfigWatchService>();
        services.AddHostedService(provider => provider.GetRequiredService<RunnerConfigWatchService>());
        services.AddSingleton<SequencerJobWatchService>();
        services.AddHostedService(provider => provider.GetRequiredService<SequencerJobWatchService>());
        return services;
    }
}
