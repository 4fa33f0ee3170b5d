#!/usr/bin/env bash
# Prepares the SolrCloud test cluster that the SolrCloud tests start on loopback (3 nodes and ZooKeeper in a child
# JVM; see ops/solrcloud/pom.xml): resolves solr-test-framework 9.10.1 and Nori for Lucene 9 from Maven Central into
# ~/.m2, compiles the launcher and writes its classpath to ops/solrcloud/target/classpath.txt. Without that file the
# SolrCloud tests are skipped with the reason. Solr 9 runs on Lucene 9, the service on Lucene 10: the two never share
# a classpath.
#
#   scripts/solrcloud-cluster.sh          prepare (idempotent; offline when everything is already in ~/.m2)
#   scripts/solrcloud-cluster.sh run      prepare, then start a 3-node cluster in the foreground (Ctrl-D stops it);
#                                         it prints each node's URL, for hanul.index.solrcloud.nodes
set -euo pipefail

HANUL_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$HANUL_HOME"
# shellcheck source=../bin/lib/find-java.sh
source bin/lib/find-java.sh
hanul_find_java
export JAVA_HOME=$HANUL_JAVA_HOME

target=ops/solrcloud/target
rm -f "$target/classpath.txt"
./mvnw -B -q -o -f ops/solrcloud/pom.xml package dependency:build-classpath >/dev/null 2>&1 \
    || ./mvnw -B -q -f ops/solrcloud/pom.xml package dependency:build-classpath
[[ -s $target/classpath.txt ]]

if [[ ${1:-} == run ]]; then
    dir=$(mktemp -d "${TMPDIR:-/tmp}/hanul-solrcloud.XXXXXX")
    trap 'rm -rf "$dir"' EXIT
    "$JAVA_HOME/bin/java" -Xmx1g -Dsolr.log.dir="$dir/logs" -cp "$target/classes:$(cat "$target/classpath.txt")" \
        dev.hanul.solrcloud.TestCluster "$dir" 3 | grep --line-buffered '^@cluster '
fi
