using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace BrowserAutomation.Api.Infrastructure;

/// <summary>
/// Maps exceptions to problem+json: unreadable bodies are 400 naming the JSON path, an unreachable database is
/// 503 with Retry-After, anything else a 500 without internals.
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } =>
                (StatusCodes.Status400BadRequest, "The request body is not valid JSON for this endpoint.", DescribeJsonError(json)),
            BadHttpRequestException bad => (bad.StatusCode, "The request could not be read.", bad.Message),
            _ when IsDatabaseUnavailable(exception) =>
                (StatusCodes.Status503ServiceUnavailable, "The database is unavailable.", "Try again shortly; nothing was accepted."),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred.", (string?)null),
        };

        if (status >= 500)
        {
            logger.LogError(exception, "Request {Method} {Path} failed with {Status}", http.Request.Method, http.Request.Path, status);
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            http.Response.Headers.RetryAfter = "5";
        }

        http.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    private static string DescribeJsonError(JsonException json) =>
        json.Path is { Length: > 0 } path
            ? $"Invalid value at '{path.TrimStart('$', '.')}': {json.Message.Split(" Path:")[0]}"
            : json.Message.Split(" Path:")[0];

    private static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true } or TimeoutException)
            {
                return true;
            }

            if (e is PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" })
            {
                return true;
            }
        }

        return false;
    }
}
