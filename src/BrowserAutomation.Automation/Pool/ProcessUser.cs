namespace BrowserAutomation.Automation.Pool;

internal static class ProcessUser
{
    /// <summary>Whether the effective user is root (Chromium's sandbox cannot run as root).</summary>
    public static bool IsRoot { get; } = DetectRoot();

    private static bool DetectRoot()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            // "Uid:\treal\teffective\tsaved\tfs"
            var uidLine = File.ReadLines("/proc/self/status").FirstOrDefault(static l => l.StartsWith("Uid:", StringComparison.Ordinal));
            var fields = uidLine?.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (fields is { Length: > 2 })
            {
                return fields[2] == "0";
            }
        }
        catch (IOException)
        {
        }

        return Environment.UserName == "root";
    }
}
