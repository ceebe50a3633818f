import * as seqsync from '@seqsync/core';
import run from './expect-run.cjs';

await run.expectCheckRealignCheck(seqsync, process.env.SEQSYNC_PG_URL);
