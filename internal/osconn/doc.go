// Package osconn connects bulletin to an OpenSearch cluster: the
// connection options (addresses, basic auth, TLS), JSON requests through the
// official client (which spreads requests over the nodes and retries on
// another node when one is down), and the document layout that the indexer
// writes and the query side reads.
//
// Concurrency: a *Client is safe for concurrent use.
package osconn
