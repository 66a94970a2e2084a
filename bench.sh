#!/usr/bin/env bash
# Measures the query side's build and rebuild rate over N events (default 1,000,000) on a fresh embedded
# PostgreSQL with durable commits. Prints one line per phase.
set -euo pipefail
cd "$(dirname "$0")"
events="${1:-1000000}"
./mvnw -q -DskipTests -pl local,command-side,query-side -am package
# run copies, so that a rebuild of the project cannot pull the jars from under a running benchmark
jars="$(mktemp -d)"
trap 'rm -rf "$jars"' EXIT
cp command-side/target/command-side.jar query-side/target/query-side.jar "$jars"
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "local/target/classes:$(cat local/target/classpath.txt)" \
  io.counterplatform.local.RebuildBenchmark "$jars/command-side.jar" "$jars/query-side.jar" "$events"
