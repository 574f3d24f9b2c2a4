#!/usr/bin/env bash
# Regenerates every golden directory under testdata/ from the current compiler, after a deliberate change.
# Review the result with `git diff tests/Conductor.Compiler.Tests/testdata` before committing it.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build
UPDATE_GOLDENS=1 dotnet test --no-build -- --filter-class 'Conductor.Compiler.Tests.Commands.*'
git --no-pager diff --stat -- testdata
