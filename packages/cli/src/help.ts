export const MAIN_HELP = `seqsync — realign key sequences with the data after explicit-id inserts

Usage:
  seqsync check   [options]   report sequences behind their data (exit 1 if any)
  seqsync realign [options]   move them past the data

Run "seqsync <command> --help" for the options of each command.
The database URL comes from --url or DATABASE_URL: postgres:// or postgresql://, mysql:// or mariadb://
(the server decides which), sqlite:./path/app.db or file:./path/app.db (the file must exist).

Exit codes: 0 ok · 1 sequences behind (check), or still behind after realign · 2 error
· 130 SIGINT (Ctrl-C), 143 SIGTERM: the waiting statement is cancelled on the server, its batch rolled back`;

const COMMON = `  --url URL            database URL (default: $DATABASE_URL)
  --schema S           only tables in schema S (repeatable; default: all non-system schemas)
  --table T            only sequences feeding table T: name, schema.name, "quoted.name" (repeatable)
  --exclude T          leave sequences feeding only table T alone (repeatable)
  --json               print the report as JSON (bigints as strings). Each sequence's "action" is
                       advanced / reset only when realign wrote it; check and --dry-run say
                       would_advance / would_reset, and unchanged / skipped mean left as it is
  --help               show this help`;

export const CHECK_HELP = `Usage: seqsync check [options]

Reads every sequence that feeds a column and compares it with the data. Writes nothing and takes
no lock beyond ordinary reads, but a read waits behind a migration's ACCESS EXCLUSIVE lock: that
wait is bounded by --lock-timeout. Exit 0 when all are clear, 1 when any is behind, 2 on error.
A key the sequence can never hand out (above its MAXVALUE) cannot collide: it is a warning, and
the sequence is judged by the keys it can reach.

Options:
${COMMON}
  --lock-timeout MS    give up when a batch's lock waits reach MS milliseconds in total (default 5000)`;

export const REALIGN_HELP = `Usage: seqsync realign [options]

Moves each sequence that is behind to the first value past its data, in one transaction per batch,
with the tables locked against writers (readers go on). Never moves a sequence backwards unless
--reset is given. Exit 0 on success, 1 when a sequence is still behind after it (no value past
the data fits its range: listed as skipped), 2 on error (one line: the failing batch rolled back,
or exactly what it left changed).

Options:
${COMMON}
  --reset              also move sequences back to exactly one past the data (after deletes)
  --dry-run            print what would change (would_advance / would_reset) and the SQL,
                       change nothing
  --lock-timeout MS    give up when a batch's lock waits reach MS milliseconds in total (default 5000)`;
