// Package proc holds the process-wide settings of the bulletin program,
// which only the program (cmd) changes and the libraries get as hooks:
// the garbage collector's room while writes stream in (GCRoom) and the
// lower scheduling priority of the threads doing writing work (Niced).
package proc
