// The integration tests share two CPU cores with real browsers, PostgreSQL and RabbitMQ; running them one at a
// time keeps their timing realistic. Each fixture still gets its own database and RabbitMQ virtual host.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
