#!/bin/sh
# Test infrastructure only — users' machines download Prisma's schema engine as usual.
# Every Prisma 7 CLI command first makes sure the schema-engine binary is present and downloads it when
# it is not; this test machine is offline, so that download fails with ENOTFOUND. `prisma generate` and
# `prisma db seed` never run the engine, so the tests point PRISMA_SCHEMA_ENGINE_BINARY at this script
# to satisfy the check. Should a command ever really call it, it fails loudly instead of pretending.
echo "seqsync tests: the Prisma schema engine is not available offline ($*)" >&2
exit 1
