#!/usr/bin/env bash
# Tensor-path throughput: Spark (default local[2]) vs one process running a task's plan on 1 thread, 1080p
# RGB depthwise 3x3 (TensorThroughput), ROUNDS alternating rounds in one JVM. Last line:
#   spark tensor path: single process X images/s, spark local[2] Y images/s, per-slot cost ratio Z
# with Z = 2 * X / Y (2 task slots on 2 cores: 1.0 means a slot costs what one process does).
# Usage: java/conv4j-spark/bench.sh [IMAGES=100] [MASTER=local[2]] [ROUNDS=3]   (extra Maven flags: $MVN_FLAGS)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
module=java/conv4j-spark
# shellcheck disable=SC2086
mvn -B -q ${MVN_FLAGS:-} -pl $module -am package -DskipTests dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
# Spark's JDK 17 opens, as the tests get them (the module's spark.test.jvmArgs property).
opens=$(sed -n '/<spark.test.jvmArgs>/,/<\/spark.test.jvmArgs>/p' $module/pom.xml | sed 's/<[^>]*>//g' | tr -s ' \n' ' ')
# shellcheck disable=SC2086
java -Xmx3g --enable-native-access=ALL-UNNAMED $opens \
  -cp "$module/target/test-classes:$module/target/classes:$(cat $module/target/test-classpath.txt)" \
  org.conv4j.spark.TensorThroughput "${1:-100}" "${2:-local[2]}" "${3:-3}" 2>&1 | grep -v -E '^(Using Spark|WARNING|[0-9/]+ [0-9:]+ (WARN|INFO))'
