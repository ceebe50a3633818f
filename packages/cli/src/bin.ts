#!/usr/bin/env node
import { describeSecondSignal, signalExitCode } from './exit-codes';
import { main } from './main';

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
  process.stderr.write(`seqsync: ${describeSecondSignal(signal, committedBatches)}\n`);
  process.exit(signalExitCode(signal));
};
process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));

main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stderrIsTty: process.stderr.isTTY === true,
  signal: interrupt.signal,
  onCommitted: (count) => { committedBatches = count; },
}).then((code) => {
  // After a signal nothing of the run is worth waiting for (a connection dropped without an answer may linger).
  if (interrupt.signal.aborted) process.exit(code);
  process.exitCode = code;
});
