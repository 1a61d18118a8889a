#!/usr/bin/env bash
# Tensor-path throughput: Spark (default local[2]) vs one process, 1080p RGB depthwise 3x3 (TensorThroughput).
# Usage: java/conv4j-spark/bench.sh [IMAGES=500] [MASTER=local[2]]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mvn -B -q -pl java/conv4j-spark -am package -DskipTests dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
module=java/conv4j-spark
opens=$(cd $module && mvn -B -q help:evaluate -Dexpression=spark.test.jvmArgs -DforceStdout | sed 's/\x1b\[[0-9;]*m//g' | tr -s ' \n' ' ')
exec java -Xmx3g --enable-native-access=ALL-UNNAMED $opens \
  -cp "$module/target/test-classes:$module/target/classes:$(cat $module/target/test-classpath.txt)" \
  org.conv4j.spark.TensorThroughput "${1:-500}" "${2:-local[2]}"
