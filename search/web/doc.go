// Package web serves the search page, its static assets, the embeddable
// <bulletin-search> widget (/embed.js), the editors' page (/admin) and an
// OpenSearch description.
//
// Everything is embedded in the binary: the page works on intranets without
// any external network resource (no CDN, no web fonts, no analytics).
//
// The handler is plain net/http and expects to see the full request path:
// mount it for "/", "/admin", "/static/", "/embed.js" and "/opensearch.xml" without
// stripping any prefix. The JSON API under /api is served elsewhere.
package web
