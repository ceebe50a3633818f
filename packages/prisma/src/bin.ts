#!/usr/bin/env node
import { runGenerator } from './generator';
import { runSeedStep } from './seed-step';

/**
 * One binary, two roles. Prisma starts a generator's `provider` command with no arguments and
 * PRISMA_GENERATOR_INVOCATION set, then speaks JSON-RPC over stdin/stderr; anything else is the
 * `seqsync-prisma realign|check` seed step.
 */
const argv = process.argv.slice(2);
if (argv.length === 0 && process.env.PRISMA_GENERATOR_INVOCATION === 'true') {
  runGenerator();
} else {
  void runSeedStep(argv, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}
