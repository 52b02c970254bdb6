// Package watch follows a watched folder, a source that the server
// follows: a file added or changed under it is read and its articles
// written (through the write log, like the write API), a file removed has
// its articles deleted. Changes are
// noticed through fsnotify (inotify) and, as a fallback for what it misses
// (network file systems, overflowing queues, folders created in a burst), a
// rescan every rescanEvery. A file is read only once its size and
// modification time have stayed the same for settleTime, so a file still
// being written is not read half-done. Ids are those `bulletin index ROOT`
// gives (the path relative to the watched folder), so a full build of the
// same folder names the same articles.
//
// The same watcher serves both engines: its changes go to a Target, the
// write log of an index directory or an OpenSearch cluster.
package watch
