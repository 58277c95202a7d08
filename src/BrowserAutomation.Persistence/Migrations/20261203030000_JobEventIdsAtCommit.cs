using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BrowserAutomation.Persistence.Migrations
{
    /// <inheritdoc />
    [DbContext(typeof(AutomationDbContext))]
    [Migration("20261203030000_JobEventIdsAtCommit")]
    public partial class JobEventIdsAtCommit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Event ids stay in commit order (a reader that has seen id N never sees a smaller id appear later), but the
            // lock that orders them is now taken at commit, not at the insert: an event gets a provisional negative id
            // when inserted (invisible to others until commit, so never seen by a reader of "id > N") and its real id from
            // a deferred trigger that runs while the transaction commits. The lock is released after the commit is
            // visible, so it is held for the commit alone instead of every round trip between the insert and the commit,
            // which serialised every status transition in the database.
            migrationBuilder.Sql("""
                CREATE SEQUENCE job_events_provisional_id AS bigint;

                CREATE OR REPLACE FUNCTION job_events_commit_order() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.id := -nextval('job_events_provisional_id');
                    RETURN NEW;
                END $$;

                CREATE FUNCTION job_events_number_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_advisory_xact_lock(1247001, 1);
                    UPDATE job_events SET id = nextval(pg_get_serial_sequence('job_events', 'id')) WHERE id = NEW.id;
                    RETURN NULL;
                END $$;

                CREATE CONSTRAINT TRIGGER job_events_number_at_commit AFTER INSERT ON job_events
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION job_events_number_at_commit();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS job_events_number_at_commit ON job_events;
                DROP FUNCTION IF EXISTS job_events_number_at_commit();

                CREATE OR REPLACE FUNCTION job_events_commit_order() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_advisory_xact_lock(1247001, 1);
                    NEW.id := nextval(pg_get_serial_sequence('job_events', 'id'));
                    RETURN NEW;
                END $$;

                DROP SEQUENCE IF EXISTS job_events_provisional_id;
                """);
        }
    }
}
