package attach

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/fixtureserver"
	"github.com/govlint/govlint/internal/heapwatch"
)

// A zip bomb (a part that inflates a thousandfold, past the part limit) is
// refused by its declared sizes, before anything is inflated, and the note
// says so; a bomb whose part stays under the limit is read through the
// limit. Neither costs more than a few times the archive in heap.
func TestZipBombsRefused(t *testing.T) {
	cases := []struct {
		name, part, file string
		expanded         int64
		refused          bool
	}{
		{"docx 1 GiB", "word/document.xml", "bomb.docx", 1 << 30, true},
		{"xlsx 1 GiB", "xl/worksheets/sheet1.xml", "bomb.xlsx", 1 << 30, true},
		{"docx at the part limit", "word/document.xml", "small.docx", maxPart - 1<<20, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := ZipBombBytes(tc.part, tc.expanded)
			require.Less(t, len(body), int(tc.expanded/500), "a bomb: far smaller than what it inflates to")
			var res Result
			began := time.Now()
			grew := heapwatch.Peak(func() { res = Extract("http://x.gov.cn/f/"+tc.file, "", body, false) })
			took := time.Since(began)
			t.Logf("%d bytes → %d: %v, heap +%d KiB, note %q", len(body), tc.expanded, took, grew>>10, res.Note)
			assert.Less(t, grew, uint64(32<<20), "heap")
			assert.Less(t, took, 30*time.Second)
			if tc.refused {
				assert.Contains(t, res.Note, "疑似压缩炸弹")
				assert.Empty(t, res.Text)
			}
		})
	}
}

// ZipBombBytes is fixtureserver.ZipBomb, named here for the cases above.
func ZipBombBytes(part string, expanded int64) []byte { return fixtureserver.ZipBomb(part, expanded) }

// A PDF whose xref points nowhere and whose objects are missing makes the
// PDF library fail or panic; either way the result is a note, not a crash.
func TestMalformedPDFRecorded(t *testing.T) {
	f := fixtureserver.MalformedPDF()
	for _, body := range []string{f.Body, f.Body[:40], "%PDF-", "%PDF-1.4\ntrailer << /Root 1 0 R >>\n1 0 obj << /Pages 1 0 R /Kids [1 0 R] >> endobj\n"} {
		res := Extract("http://x.gov.cn/f/a.pdf", "application/pdf", []byte(body), false)
		assert.Equal(t, "pdf", res.Format)
		assert.NotEmpty(t, res.Note, "%q", body)
	}
}
