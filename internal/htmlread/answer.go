package htmlread

import (
	"net/http"
	"net/url"
	"path"
	"strings"
)

// IsAttachment says whether an answer is a downloadable document (by URL
// extension, Content-Type or Content-Disposition) rather than a page.
func IsAttachment(u *url.URL, contentType string, h http.Header) bool {
	if u != nil && attachmentExts[strings.ToLower(path.Ext(u.Path))] {
		return true
	}
	ct := strings.ToLower(strings.TrimSpace(contentType))
	for _, t := range attachmentTypes {
		if strings.HasPrefix(ct, t) {
			return true
		}
	}
	cd := strings.ToLower(h.Get("Content-Disposition"))
	return strings.Contains(cd, "attachment") && !strings.Contains(ct, "html")
}

// IsHTML says whether a decoded answer is an HTML page: by Content-Type,
// or for untyped, text/plain and XML answers by HTML markers in its start.
func IsHTML(contentType, text string) bool {
	ct := strings.ToLower(contentType)
	if strings.Contains(ct, "html") {
		return true
	}
	if ct != "" && !strings.HasPrefix(ct, "text/plain") && !strings.Contains(ct, "xml") {
		return false
	}
	head := strings.ToLower(text[:min(len(text), sniffBytes)])
	if strings.Contains(ct, "xml") {
		return strings.Contains(head, "<html")
	}
	return ContainsAny(head, htmlSniffWords)
}

// sniffBytes is how much of an untyped answer is read for HTML markers.
const sniffBytes = 1024

var htmlSniffWords = []string{"<!doctype html", "<html", "<head", "<body", "<meta", "<title", "<div", "<table"}
