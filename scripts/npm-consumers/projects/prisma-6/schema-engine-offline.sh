#!/bin/sh
# Test infrastructure only — users' machines download Prisma's schema engine as usual.
# Every Prisma 6 CLI command first makes sure the schema-engine binary is present and downloads it when it is not;
# the machine the consumer tests run on may be offline (binaries.prisma.sh unreachable), where that download fails
# with ENOTFOUND. `prisma generate` never runs the engine, so prisma-offline.cjs points PRISMA_SCHEMA_ENGINE_BINARY
# at this script to satisfy the check. Should a command ever really call it, it fails loudly instead of pretending.
echo "seqsync consumer test: the Prisma schema engine is not available offline ($*)" >&2
exit 1
