using System.ComponentModel.DataAnnotations;

namespace BrowserAutomation.Persistence.Configuration;

/// <summary>RabbitMQ connection settings (RABBITMQ_* variables).</summary>
public sealed class RabbitMqOptions
{
    public const string SectionName = "RabbitMq";

    [Required]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int Port { get; set; } = 5672;

    [Required]
    public string VirtualHost { get; set; } = "/";

    [Required]
    public string Username { get; set; } = "guest";

    public string Password { get; set; } = "guest";
}
