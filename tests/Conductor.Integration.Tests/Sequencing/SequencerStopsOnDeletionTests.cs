using static Conductor.Integration.Tests.Sequencing.SequencerScenario;

namespace Conductor.Integration.Tests.Sequencing;

/// <summary>A RunnerConfig deleted mid-run: its unfinished Job is deleted and no later step starts.</summary>
[Collection(SequencerCollection.Name)]
public sealed class SequencerStopsOnDeletionTests(SequencerScenario scenario) : IClassFixture<SequencerScenario>
{
    [Fact]
    public async Task Delete_MidRun_UnfinishedJobDeletedAndNoMoreJobs()
    {
        const string name = "deleted";
        await scenario.CreateAsync(name, [Step("one"), Step("two", dependsOn: "one")]);
        await scenario.WaitForJobAsync(name, "one");

        await scenario.DeleteAsync(name);
        var gone = await WaitUntilNoJobsAsync(name);

        Assert.True(gone);
        Assert.Empty(await scenario.JobsAsync(name));
    }

    private async Task<bool> WaitUntilNoJobsAsync(string name)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var deadline = DateTimeOffset.UtcNow + Cap;
        while ((await scenario.JobsAsync(name)).Count > 0)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                return false;
            }
            await timer.WaitForNextTickAsync(TestContext.Current.CancellationToken);
        }
        return true;
    }
}
