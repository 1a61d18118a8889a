#!/usr/bin/env bash
# conv4j-spark on Spark's standalone cluster manager, on this machine: a Master and two Workers (separate
# JVMs, 1 core each, loopback only) started from the Spark jars the build resolves, jobs submitted through
# org.apache.spark.deploy.SparkSubmit (what spark-submit runs) with the thin conv4j-spark jar and
# conv4j-platform's jars as --jars, the way README.md (Spark, "On a cluster") tells cluster users:
#  1. spark-filter (org.conv4j.spark.SparkFilterCommand) on generated JPEGs: every PNG byte-identical to
#     ./conv4j filter's on the same images;
#  2. a SparkConv2d job (.ci/spark-cluster/ClusterTensorJob.java) writing Parquet, during which one Worker
#     and its executor JVM are killed (SIGKILL) once the first task has committed: Spark retries the lost
#     tasks on the other Worker; the job must succeed with every row present once, bit-identical to the
#     native plan in one process, and no uncommitted file left in the output.
# Every step has a time limit; the daemons are killed on exit whatever happens. Run after `mvn -B verify`
# (it reuses its local repository). Extra Maven flags: $MVN_FLAGS. Last line:
#   spark-cluster: <n> images identical, <m> tensors identical, executor killed: recovered
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
images=${SPARK_CLUSTER_IMAGES:-24} rows=${SPARK_CLUSTER_ROWS:-48}
work=$(mktemp -d "${TMPDIR:-/tmp}/conv4j-spark-cluster.XXXXXX")
groups=()   # process groups of the daemons (each started by setsid: its pid is its group id)
cleanup() {
  local g
  for g in "${groups[@]}"; do kill -9 -- "-$g" 2>/dev/null || true; done
  [ "${SPARK_CLUSTER_KEEP:-0}" = 1 ] && echo "spark-cluster: kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
step_start=$SECONDS
say() { echo "spark-cluster ($((SECONDS - step_start)) s): $*"; step_start=$SECONDS; }
fail() { echo "spark-cluster: FAILED: $*" >&2; for f in "$work"/*.log; do echo "--- $f (tail)" >&2; tail -n 30 "$f" >&2; done; exit 1; }

# --- the jars: Spark's (provided scope) as a minimal SPARK_HOME, the job's (conv4j-spark + conv4j-platform) ---
# shellcheck disable=SC2086
timeout 600 mvn -B -q ${MVN_FLAGS:-} -pl java/conv4j-spark -am package -DskipTests -Dmaven.javadoc.skip \
  -Dmaven.source.skip dependency:list -DoutputFile=target/cluster-deps.txt -DoutputAbsoluteArtifactFilename=true \
  >"$work/build.log" 2>&1 || fail "build (see $work/build.log)"
deps=java/conv4j-spark/target/cluster-deps.txt
platform=$(sed -n 's/.*:conv4j:jar:\([a-z0-9_-]*\):.*:test:.*/\1/p' "$deps" | head -1)
spark_home=$work/spark-home
mkdir -p "$spark_home/jars"
touch "$spark_home/RELEASE"   # the launcher's sign of a distribution: executors get $SPARK_HOME/jars/*
awk -F: '$5 == "provided" || $6 == "provided" { print $NF }' "$deps" | while read -r j; do ln -s "$j" "$spark_home/jars/"; done
[ "$(find "$spark_home/jars" -name 'spark-core_*.jar' | wc -l)" = 1 ] || fail "no spark-core jar in $deps"
# The job's jars: conv4j-spark, its compile/runtime dependencies, and this platform's natives (what
# conv4j-platform adds: conv4j's JNI jar, JavaCPP's and OpenBLAS's).
thin=$(ls java/conv4j-spark/target/conv4j-spark-*.jar | grep -v -E -- '-(sources|javadoc|tests)\.jar$')
jars=$thin,$(awk -F: -v p="$platform" '($5 ~ /^(compile|runtime)$/ || $6 ~ /^(compile|runtime)$/ ||
    ($4 == p && $6 == "test" && $1 ~ /^ *(org\.conv4j|org\.bytedeco)$/)) { print $NF }' "$deps" | paste -sd, -)
export SPARK_HOME=$spark_home SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_HOSTNAME=127.0.0.1
# Spark's JDK 17+ opens (the module's spark.test.jvmArgs, which its tests get too).
opens=$(sed -n '/<spark.test.jvmArgs>/,/<\/spark.test.jvmArgs>/p' java/conv4j-spark/pom.xml | sed 's/<[^>]*>//g' | tr -s ' \n' ' ')
say "Spark jars: $(find "$spark_home/jars" -name '*.jar' | wc -l) in $spark_home/jars; job jars: $(tr , '\n' <<<"$jars" | wc -l), platform $platform"

# --- the cluster ----------------------------------------------------------------------------------------
daemon() { # daemon NAME CLASS ARGS...: a Spark daemon in its own process group, logging to $work/NAME.log
  local name=$1; shift
  # shellcheck disable=SC2086
  setsid timeout 900 java -Xmx384m $opens -cp "$spark_home/jars/*" "$@" >"$work/$name.log" 2>&1 &
  groups+=("$!")
  disown "$!"   # killed on purpose below: no job-control notice
}
wait_for() { # wait_for FILE PATTERN SECONDS: until FILE has a line matching PATTERN
  local i
  for ((i = 0; i < $3 * 10; i++)); do grep -q -E "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  fail "$1 never logged '$2' within $3 s"
}
daemon master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 0 --webui-port 0
wait_for "$work/master.log" 'Starting Spark master at spark://' 60
url=$(grep -o -E 'spark://127\.0\.0\.1:[0-9]+' "$work/master.log" | head -1)
for w in 1 2; do
  mkdir -p "$work/worker$w"
  daemon "worker$w" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 --webui-port 0 \
    --cores 1 --memory 1g --work-dir "$work/worker$w" "$url"
done
worker_pid=("" "${groups[1]}" "${groups[2]}")
for w in 1 2; do wait_for "$work/worker$w.log" 'Successfully registered with master' 60; done
say "standalone cluster up: Master $url, 2 Workers of 1 core (loopback only)"

submit() { # submit LOG CLASS APP_JAR ARGS...: one application through SparkSubmit, as spark-submit does
  local log=$1 class=$2 app=$3; shift 3
  # shellcheck disable=SC2086
  timeout 300 java -Xmx1g $opens -cp "$spark_home/jars/*" org.apache.spark.deploy.SparkSubmit \
    --master "$url" --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
    --conf spark.ui.enabled=false --executor-memory 768m --conf spark.executor.cores=1 \
    --jars "$jars" --class "$class" "$app" "$@" >"$log.out" 2>"$log"
}

# --- 1. spark-filter, byte for byte against ./conv4j filter ---------------------------------------------
java java/conv4j-spark/bench/GenerateImages.java "$work/images" "$images" 640 360
kernels=sobel-x,gaussian-blur
./conv4j filter --in "$work/images" --out "$work/cli" --kernels "$kernels" >"$work/cli.log" 2>&1 \
  || fail "./conv4j filter"
submit "$work/filter.log" org.conv4j.spark.SparkFilterCommand "$thin" \
  --in "file://$work/images" --out "file://$work/spark" --kernels "$kernels" || fail "spark-filter on the cluster"
n_cli=$(find "$work/cli" -name '*.png' | wc -l)
n_spark=$(find "$work/spark" -name '*.png' | wc -l)
[ "$n_cli" = $((images * 2)) ] && [ "$n_spark" = "$n_cli" ] || fail "PNG files: ./conv4j filter $n_cli, spark-filter $n_spark"
(cd "$work/cli" && find . -name '*.png' | sort) | while read -r f; do
  cmp -s "$work/cli/$f" "$work/spark/$f" || fail "$f differs between ./conv4j filter and spark-filter on the cluster"
done
say "spark-filter on the cluster: $n_spark PNGs of $images images byte-identical to ./conv4j filter's"

# --- 2. a SparkConv2d job, one Worker and its executor killed in its middle -----------------------------
mkdir -p "$work/job"
javac -d "$work/job" -cp "$spark_home/jars/*:$(tr , : <<<"$jars")" .ci/spark-cluster/ClusterTensorJob.java
(cd "$work/job" && jar cf ../cluster-tensor-job.jar .)
out=$work/tensors.parquet
submit "$work/tensor.log" ClusterTensorJob "$work/cluster-tensor-job.jar" "file://$out" "$rows" 16 300 &
job=$!
# The first committed task (FileOutputCommitter v1 moves it to _temporary/0/task_*), then SIGKILL to Worker 1's
# process group: the Worker and the executor JVM it started.
for ((i = 0; i < 1200; i++)); do
  compgen -G "$out/_temporary/0/task_*" >/dev/null && break
  kill -0 "$job" 2>/dev/null || break
  sleep 0.05
done
compgen -G "$out/_temporary/0/task_*" >/dev/null || fail "no task committed before the job ended or within 60 s"
[ -e "$out/_SUCCESS" ] && fail "the job had already finished when the first committed task was seen"
kill -9 -- "-${worker_pid[1]}"
say "killed Worker 1 (process group ${worker_pid[1]}, with its executor) after $(compgen -G "$out/_temporary/0/task_*" | wc -l) committed task(s)"
wait "$job" || fail "the tensor job did not recover from the lost executor"
grep -q -E 'Lost executor|ExecutorLostFailure|Executor.*(lost|removed)' "$work/tensor.log" \
  || fail "the driver never saw an executor lost: the kill did not hit the job"
[ -e "$out/_SUCCESS" ] || fail "no _SUCCESS in $out"
[ ! -e "$out/_temporary" ] || fail "$out/_temporary left behind"
leftovers=$(find "$out" -type f ! -name '*.parquet' ! -name '.*.crc' ! -name '_SUCCESS' | wc -l)
[ "$leftovers" = 0 ] || fail "$leftovers files in $out that are neither committed Parquet parts nor _SUCCESS"
tensors=$(sed -n 's/^tensors identical: \([0-9]*\)$/\1/p' "$work/tensor.log.out")
[ "$tensors" = "$rows" ] || fail "tensor job: '$(cat "$work/tensor.log.out")'"
say "tensor job on the cluster: $tensors rows bit-identical to the native plan in one process after losing an executor"
echo "spark-cluster: $images images identical, $tensors tensors identical, executor killed: recovered"
