namespace BrowserAutomation.Automation.Pool;

/// <summary>One process as /proc shows it. <see cref="StartTicks"/> tells a process apart from a later one reusing its PID.</summary>
internal readonly record struct ProcessEntry(int Pid, int ParentPid, long StartTicks, char State)
{
    public bool IsAlive => State is not ('Z' or 'X');
}
