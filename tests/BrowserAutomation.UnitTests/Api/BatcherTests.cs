using BrowserAutomation.Api.Infrastructure;

namespace BrowserAutomation.UnitTests.Api;

/// <summary>Work that arrives while a batch runs forms the next batch; batches never overlap and no item is lost or repeated.</summary>
public sealed class BatcherTests
{
    [Fact]
    public async Task Items_added_while_a_batch_runs_form_the_next_batches_of_at_most_the_limit_one_at_a_time()
    {
        var firstBatchRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batches = new List<List<int>>();
        var running = 0;
        var overlapped = false;
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batcher = new Batcher<int>(async batch =>
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            lock (batches)
            {
                batches.Add([.. batch]);
            }

            if (batch.Contains(0))
            {
                firstBatchRunning.SetResult();
                await releaseFirst.Task;
            }

            Interlocked.Decrement(ref running);
            if (batch.Contains(7))
            {
                allDone.SetResult();
            }
        }, maxBatch: 4);

        batcher.Add(0);
        await firstBatchRunning.Task.WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 1; i <= 7; i++)
        {
            batcher.Add(i);
        }

        releaseFirst.SetResult();
        await allDone.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(overlapped);
        Assert.Equal([[0], [1, 2, 3, 4], [5, 6, 7]], batches);
    }

    [Fact]
    public async Task After_the_queue_empties_a_new_item_starts_a_new_loop()
    {
        var seen = new List<int>();
        var signals = new[] { new TaskCompletionSource(), new TaskCompletionSource() };
        var batcher = new Batcher<int>(batch =>
        {
            lock (seen)
            {
                seen.AddRange(batch);
            }

            foreach (var item in batch)
            {
                signals[item].TrySetResult();
            }

            return Task.CompletedTask;
        });

        batcher.Add(0);
        await signals[0].Task.WaitAsync(TimeSpan.FromSeconds(10));
        batcher.Add(1);
        await signals[1].Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([0, 1], seen);
    }
}
