using System.Diagnostics;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>Waits on a condition (never on a clock alone), failing with a message when it does not hold in time.</summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}.");
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(200, delay.TotalMilliseconds * 1.5));
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what);
}
