#!/usr/bin/env bash
# Builds what is missing, then starts PostgreSQL (embedded), the command side and the query side.
# Set SPRING_DATASOURCE_URL (and _USERNAME, _PASSWORD) to use an existing PostgreSQL instead.
set -euo pipefail
cd "$(dirname "$0")"

jars=(command-side/target/command-side.jar query-side/target/query-side.jar launcher/target/classpath.txt)
for artifact in "${jars[@]}"; do
  if [ ! -e "$artifact" ] || [ -n "$(find api service-support command-side query-side launcher -name '*.java' -newer "$artifact" -o -name '*.yml' -newer "$artifact" -o -name '*.sql' -newer "$artifact" -o -name 'pom.xml' -newer "$artifact" 2>/dev/null | head -1)" ]; then
    echo "Building..."
    ./mvnw -q -DskipTests -pl launcher,command-side,query-side -am package
    break
  fi
done

exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "launcher/target/classes:$(cat launcher/target/classpath.txt)" io.counterplatform.launcher.LocalPlatform \
  command-side/target/command-side.jar query-side/target/query-side.jar
