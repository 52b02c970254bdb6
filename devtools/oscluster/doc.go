// Package oscluster starts a real local OpenSearch cluster for tests: one JVM
// process a node, launched from the classpath that deploy/opensearch's Maven
// module resolves (`make opensearch-build`), on free loopback ports, with its
// data in the test's temporary folder. Every process is killed (SIGKILL) when
// the test ends.
//
// Outside CI, a machine without java or mvn skips the test with a message;
// under CI=true it fails.
package oscluster
