namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>Where the servers started by infra/test.sh listen (the same defaults as infra/env.sh).</summary>
internal static class TestSettings
{
    public static string DbHost => Env("DB_HOST", "127.0.0.1");

    public static int DbPort => int.Parse(Env("DB_PORT", "5432"), System.Globalization.CultureInfo.InvariantCulture);

    public static string DbUser => Env("DB_USERNAME", "automation_user");

    public static string DbPassword => Env("DB_PASSWORD", "automation_pass");

    public static string RabbitHost => Env("RABBITMQ_HOST", "127.0.0.1");

    public static int RabbitPort => int.Parse(Env("RABBITMQ_PORT", "5672"), System.Globalization.CultureInfo.InvariantCulture);

    public static string RabbitUser => Env("RABBITMQ_USERNAME", "guest");

    public static string RabbitPassword => Env("RABBITMQ_PASSWORD", "guest");

    public static int RabbitManagementPort => int.Parse(Env("RABBITMQ_MANAGEMENT_PORT", "15672"), System.Globalization.CultureInfo.InvariantCulture);

    private static string Env(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}
