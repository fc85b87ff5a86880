// Package snapshot writes and reads the crawl record: one WARC 1.1 file
// (.warc.gz, one gzip member per record) holding every HTTP answer the
// crawler received and every fetch that got none.
//
// The file is the single source of truth for a run: `govlint check` rebuilds
// the site model from it without touching the network, so whatever the model
// needs must be in here.
//
// Layout of a snapshot file, in order:
//
//	warcinfo   the run: start URL, profile, as-of date, limits (Info)
//	request    GET line of a fetch          } one pair per HTTP answer,
//	response   status line, headers, body   } including every redirect hop
//	metadata   govlint-record: failure      a fetch with no HTTP answer
//	...
//	metadata   govlint-record: crawl-end    written by Close; its absence
//	                                        means the file is incomplete
//
// Bodies are stored decoded (no Content-Encoding) and the stored headers say
// so: Content-Length is the stored length and Content-Encoding and
// Transfer-Encoding are dropped, so every record is self-consistent.
package snapshot
