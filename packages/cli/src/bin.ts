#!/usr/bin/env node
import { main } from './main';

main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stderrIsTty: process.stderr.isTTY === true,
}).then((code) => {
  process.exitCode = code;
});
