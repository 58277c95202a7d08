using System.Globalization;
using System.Text.Json;
using BrowserAutomation.Automation;
using Microsoft.Playwright;

namespace BrowserAutomation.IntegrationTests.Automation;

/// <summary>Finds the pool's browser process so a test can kill it, and only ever one of our own.</summary>
internal static class BrowserProcesses
{
    /// <summary>
    /// The browser reports its own PID over CDP (which tells pools in the same test process apart);
    /// /proc confirms it is the configured executable and a descendant of this process.
    /// </summary>
    public static async Task<int> FindChromiumBrowserPidAsync(BrowserPool pool, string executablePath)
    {
        int pid;
        await using (BrowserLease lease = await pool.AcquireContextAsync(BrowserEngines.Chromium, null, CancellationToken.None))
        {
            ICDPSession cdp = await lease.Browser.NewBrowserCDPSessionAsync();
            JsonElement? info = await cdp.SendAsync("SystemInfo.getProcessInfo");
            pid = info!.Value.GetProperty("processInfo").EnumerateArray()
                .Single(static p => p.GetProperty("type").GetString() == "browser")
                .GetProperty("id").GetInt32();
            await cdp.DetachAsync();
        }

        Assert.Contains(pid, OurBrowserMainProcesses(executablePath));
        return pid;
    }

    /// <summary>Processes running <paramref name="executablePath"/> whose parent chain leads to us and whose parent is not the browser itself.</summary>
    public static IReadOnlyList<int> OurBrowserMainProcesses(string executablePath)
    {
        int self = Environment.ProcessId;
        var found = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                || ExecutableOf(pid) != executablePath
                || ExecutableOf(ParentOf(pid) ?? 0) == executablePath)
            {
                continue;
            }

            for (int? ancestor = ParentOf(pid); ancestor is > 1; ancestor = ParentOf(ancestor.Value))
            {
                if (ancestor == self)
                {
                    found.Add(pid);
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>The Playwright driver (Node) that started the given browser.</summary>
    public static int DriverOf(int browserPid)
    {
        int driver = ParentOf(browserPid) ?? throw new InvalidOperationException($"Process {browserPid} is gone.");
        Assert.EndsWith("/node", ExecutableOf(driver), StringComparison.Ordinal);
        Assert.Equal(Environment.ProcessId, ParentOf(driver));
        return driver;
    }

    private static string? ExecutableOf(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/exe").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            // "pid (comm) state ppid ...": comm may contain spaces and parentheses, so parse after the last ')'.
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(rest[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
