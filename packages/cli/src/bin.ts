#!/usr/bin/env node
import { describeSecondSignal, signalExitCode } from './exit-codes';
import { main } from './main';

/**
 * A reader that goes away (`seqsync check | head -1`) fails the next write with EPIPE. That is the reader's choice,
 * not a failure of the run: the rest of the output is dropped and the process exits with the run's own code (check's
 * 1 still means "behind"). Unheard, the error is thrown as an unhandled 'error' event: a stack trace and exit 1.
 */
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

/** Whether stderr's last line is unfinished (a progress count), so a second signal's line starts on its own. */
let stderrLineOpen = false;
const writeStderr = (text: string) => {
  if (text.length > 0) stderrLineOpen = !text.endsWith('\n');
  process.stderr.write(text);
};

/**
 * SIGINT (Ctrl-C) and SIGTERM stop the run: core cancels the statement waiting on the server and rolls its batch
 * back, main prints one line and the process exits 130 / 143. Exiting on the signal alone would leave the server's
 * session waiting, holding its batch's locks, until its lock timeout. A second signal exits at once.
 */
const interrupt = new AbortController();
let committedBatches = 0;
const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
  if (!interrupt.signal.aborted) {
    interrupt.abort(signal);
    return;
  }
  writeStderr(`${stderrLineOpen ? '\n' : ''}seqsync: ${describeSecondSignal(signal, committedBatches)}\n`);
  process.exit(signalExitCode(signal));
};
process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));

main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  // A write to a pipe whose reader is behind is queued in memory; --json waits here rather than queue 50 MB of report.
  // A reader gone (EPIPE, see above) never drains: its error or close ends the wait too, and the rest is dropped.
  stdoutDrained: () => new Promise((resolve) => {
    if (process.stdout.destroyed || !process.stdout.writableNeedDrain) {
      resolve();
      return;
    }
    const done = () => {
      process.stdout.off('drain', done).off('close', done).off('error', done);
      resolve();
    };
    process.stdout.once('drain', done).once('close', done).once('error', done);
  }),
  stderr: writeStderr,
  env: process.env,
  stderrIsTty: process.stderr.isTTY === true,
  signal: interrupt.signal,
  onCommitted: (count) => { committedBatches = count; },
}).then((code) => {
  // After a signal nothing of the run is worth waiting for (a connection dropped without an answer may linger).
  if (interrupt.signal.aborted) process.exit(code);
  process.exitCode = code;
});
