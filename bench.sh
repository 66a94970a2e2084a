#!/usr/bin/env bash
# The benchmark: a plain CRUD counter, the command side alone, and both services, side by side on one embedded
# PostgreSQL with durable commits, driven by wrk (apt-get install wrk). About 15 minutes. Prints a table and
# writes the numbers to bench/target/results.json (or the file given as the first argument).
set -euo pipefail
cd "$(dirname "$0")"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
output="$(realpath -m "${1:-bench/target/results.json}")"
./mvnw -q -DskipTests -pl bench,command-side,query-side -am package
# run copies, so that a rebuild of the project cannot pull the jars from under a running benchmark
jars="$(mktemp -d)"
trap 'rm -rf "$jars"' EXIT
cp bench/target/bench-crud.jar command-side/target/command-side.jar query-side/target/query-side.jar "$jars"
mkdir -p "$(dirname "$output")"
java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  io.counterplatform.bench.Benchmark "$jars/bench-crud.jar" "$jars/command-side.jar" "$jars/query-side.jar" \
  bench/wrk/increments.lua "$output"
