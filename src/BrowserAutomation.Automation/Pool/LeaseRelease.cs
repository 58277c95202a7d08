namespace BrowserAutomation.Automation.Pool;

/// <summary>
/// When a job's context is closed. By default as soon as its attempt ends (in the background). A consumer that records
/// the outcome opens a <see cref="Defer"/> scope around the attempt, so the close (and the pre-warming of the context
/// that replaces it) starts only once the outcome is recorded: on two cores, Chromium tearing a context down took
/// 15-20 ms of the outcome's path to the state machine (README, "Where P2's time goes").
/// The context still serves exactly one job; only the moment of its close moves.
/// </summary>
public sealed class LeaseRelease : IDisposable
{
    private static readonly AsyncLocal<LeaseRelease?> Current = new();

    private readonly List<Action> _held = [];
    private readonly LeaseRelease? _outer;
    private bool _done;

    private LeaseRelease(LeaseRelease? outer) => _outer = outer;

    /// <summary>
    /// Holds the leases released by attempts started in this async flow until the scope is disposed. A lease
    /// released after that (an attempt that outlived its consumer) closes at once.
    /// </summary>
    public static LeaseRelease Defer()
    {
        var scope = new LeaseRelease(Current.Value);
        Current.Value = scope;
        return scope;
    }

    /// <summary>Closes the lease's context in the background now, or when the current deferral scope ends.</summary>
    internal static void Release(BrowserLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        RunOrHold(lease.ReleaseInBackground);
    }

    /// <summary>Runs <paramref name="release"/> now, or when the current deferral scope ends.</summary>
    internal static void RunOrHold(Action release)
    {
        if (Current.Value is not { } scope || !scope.TryHold(release))
        {
            release();
        }
    }

    /// <summary>How many leases wait for this scope to end.</summary>
    internal int Held
    {
        get
        {
            lock (_held)
            {
                return _held.Count;
            }
        }
    }

    public void Dispose()
    {
        Action[] held;
        lock (_held)
        {
            if (_done)
            {
                return;
            }

            _done = true;
            held = [.. _held];
            _held.Clear();
        }

        if (ReferenceEquals(Current.Value, this))
        {
            Current.Value = _outer;
        }

        foreach (var release in held)
        {
            release();
        }
    }

    private bool TryHold(Action release)
    {
        lock (_held)
        {
            if (_done)
            {
                return false;
            }

            _held.Add(release);
            return true;
        }
    }
}
