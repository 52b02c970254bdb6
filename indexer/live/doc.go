// Package live keeps an index directory current between full builds,
// through its write log (package wal):
//
//	DIR/api.log   one record a line: an article put (as given) or an id deleted
//
// A write (the write API, or a watched folder) is appended to the log and
// synced before it is acknowledged, then applied to the generation being
// served, where searches see it within a second (the Applier).
// The log is a source like the input files: a full `bulletin index` of DIR
// reads it last (its articles replace file articles with their ids, its
// deletions remove them) and records in meta.json how much of it the new
// generation holds; a server opening that generation replays the rest.
// A crash at any moment loses nothing acknowledged: the log has it, and
// the server replays it on start. The log is folded (only the last record
// of each id kept) as it grows: see Live.Fold.
//
// Live is the writer: the write API's puts, bulk loads and deletions, and a
// watched folder's changes (package watch) go through it. Replay applies
// the log to a generation being opened, Fold compacts the log.
package live
