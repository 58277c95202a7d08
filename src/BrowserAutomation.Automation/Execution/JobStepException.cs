using BrowserAutomation.Contracts;

namespace BrowserAutomation.Automation.Execution;

/// <summary>A job-level failure whose <see cref="JobErrorTypes">error type</see> is already known.</summary>
internal sealed class JobStepException : Exception
{
    public JobStepException()
        : this(JobErrorTypes.Internal, "The step failed.")
    {
    }

    public JobStepException(string message)
        : this(JobErrorTypes.Internal, message)
    {
    }

    public JobStepException(string message, Exception innerException)
        : this(JobErrorTypes.Internal, message, innerException)
    {
    }

    public JobStepException(string errorType, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorType = errorType;
    }

    public string ErrorType { get; }

    public static JobStepException Validation(string message) => new(JobErrorTypes.ValidationError, message);
}
