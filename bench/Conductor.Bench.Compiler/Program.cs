using Conductor.Bench.Compiler;

// `hello` is the floor: a bare dotnet process that prints one line and exits, started the same way as the compiler.
if (args is ["hello"])
{
    Console.WriteLine("Hello, World!");
    return 0;
}
return await StartupBenchmark.RunAsync(BenchmarkSettings.Parse(args), Console.Out);
