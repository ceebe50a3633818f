// Every line fits 80 columns (help.test.ts): help is read in a default-size terminal.

export const MAIN_HELP = `seqsync - realign key sequences with the data after explicit-id inserts

Usage:
  seqsync check   [options]   report sequences behind their data (exit 1 if any)
  seqsync realign [options]   move them past the data
  seqsync help [command]      this help, or a command's options and exit codes
  seqsync -V, --version       print the version (-v works too)

"seqsync <command> --help" (or -h, anywhere) shows a command's options.

The database, first found of:
  --url URL
  $DATABASE_URL
  DATABASE_URL in ./.env (in the working directory; seqsync says so on stderr)
  postgresql:// (server, user, database from libpq's environment, as for
    psql) when PGHOST, PGPORT, PGUSER or PGDATABASE is set
URLs: postgres:// or postgresql://, mysql:// or mariadb:// (the server decides
which), sqlite:./path/app.db or file:./path/app.db (the file must exist).

Exit codes: 0 ok · 1 sequences behind (check), or still behind after realign
· 2 error · 130 SIGINT (Ctrl-C), 143 SIGTERM: the waiting statement is
cancelled on the server and its batch rolled back`;

const COMMON = `  --url URL          database URL (default: $DATABASE_URL, then ./.env, then
                     PG* variables: see seqsync --help)
  --schema S         only tables in schema S (repeatable; default: every
                     non-system schema)
  --table T          only sequences feeding table T: name, schema.name or
                     "quoted.name" (repeatable)
  --exclude T        leave sequences feeding only table T alone (repeatable)
  --lock-timeout MS  give up when a batch's lock waits reach MS milliseconds
                     in total (default 5000)
  --batch-size N     at most N tables per transaction (default: as many as the
                     server's lock table allows). Lower it when the server
                     answers "out of shared memory" beside other busy clients
  --from URL         cutover: the database the data came from (the old primary,
                     the MySQL or SQLite original), only read; each counter
                     goes at least to where that database's counter for the
                     same table and column stands (see the README, Cutover)
  --margin N         N steps more past the source's position (with --from), or
                     past the data for a sequence that moves (without)`;

const OUTPUT = `  --json             print the report as JSON (bigints as strings). A
                     sequence's "action" is advanced / reset only when realign
                     wrote it; check and --dry-run say would_advance /
                     would_reset; unchanged / skipped mean left as it is.
                     Its "statements" are every one with --dry-run, else
                     the first 1,000 ("statementsOmitted" counts the rest)
  -q, --quiet        print nothing but errors, and warnings (on stderr); the
                     exit code is the same as without it
  -h, --help         show this help
  -V, --version      print the version`;

export const CHECK_HELP = `Usage: seqsync check [options]

Reads every sequence that feeds a column and compares it with the data. Writes
nothing and takes no lock beyond ordinary reads, but a read waits behind a
migration's ACCESS EXCLUSIVE lock: that wait is bounded by --lock-timeout.
A key the sequence can never hand out (above its MAXVALUE) cannot collide: it
is a warning, and the sequence is judged by the keys it can reach.

Options:
${COMMON}
${OUTPUT}

Exit codes:
  0    every sequence is clear of its data (--from: and of the source's)
  1    at least one sequence is behind (listed)
  2    error (one line on stderr)
  130  SIGINT (Ctrl-C), 143 SIGTERM: the read was stopped on the server`;

export const REALIGN_HELP = `Usage: seqsync realign [options]

Moves each sequence that is behind to the first value past its data, in one
transaction per batch, with the tables locked against writers (readers go on).
Never moves a sequence backwards unless --reset is given.

Options:
${COMMON}
  --reset            also move sequences back to exactly one past the data
                     (after deletes)
  --dry-run          print what would change (would_advance / would_reset) and
                     the SQL; change nothing
${OUTPUT}

Exit codes:
  0    done: no sequence is left behind its data
  1    a sequence is still behind after it (no value past the data fits its
       range: listed as skipped); --dry-run: would still be
  2    error, one line on stderr: the failing batch rolled back, or exactly
       what it left changed (earlier batches stay committed)
  130  SIGINT (Ctrl-C), 143 SIGTERM: the waiting statement is cancelled on the
       server and its batch rolled back`;

/** The help for `topic`, or the overview. */
export function helpText(topic: 'check' | 'realign' | undefined): string {
  return topic === 'check' ? CHECK_HELP : topic === 'realign' ? REALIGN_HELP : MAIN_HELP;
}
