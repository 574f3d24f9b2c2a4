using Conductor.Bench.Agent;

// `--baseline` is the floor: a bare slim ASP.NET app answering /readyz on INTERNAL_PORT, started like the agent.
if (args is ["--baseline"])
{
    await BaselineApp.RunAsync();
    return 0;
}
return await AgentBenchmark.RunAsync(AgentBenchmarkSettings.Parse(args), Console.Out);
