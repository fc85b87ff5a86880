// Package htmlread reads a fetched answer's bytes without building the site
// model: it decodes the charset, tells pages from attachments, classifies
// the answer (ok, soft 404, WAF block, JS redirect), resolves hrefs, reads
// links (with the tokenizer for the crawler, from the DOM for the CMS
// adapters), parses HTML into a DOM with the helpers every reader of it
// needs (visible text, whitespace collapsing, dates, list entries, Hanweb
// datastore records). Both the crawler's planning (internal/cms, via
// internal/crawl) and the model (internal/extract) build on it; it imports
// only internal/site of this module.
package htmlread
