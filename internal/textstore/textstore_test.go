package textstore

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/govlint/govlint/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/textsim"
)

func TestTextStoreSpillsAndReadsBack(t *testing.T) {
	t.Parallel()
	ts, err := New(t.TempDir())
	require.NoError(t, err)
	defer ts.Close()

	long := strings.Repeat("财政预算公开说明。", 100)
	p := &site.Page{Text: long}
	short := &site.Page{Text: "首页"}
	empty := &site.Page{}
	for _, pg := range []*site.Page{p, short, empty} {
		ts.Spill(pg)
	}
	assert.Empty(t, p.Text, "a spilled text leaves the heap")
	assert.Equal(t, long, p.ReadText())
	assert.True(t, p.HasText())
	assert.Equal(t, "首页", short.Text, "short texts stay in memory")
	assert.Equal(t, "首页", short.ReadText())
	assert.False(t, empty.HasText())
	assert.Equal(t, "", empty.ReadText())
	assert.NoError(t, ts.Err())

	// A copy of the page (as audit.Load makes) reads the same text.
	cp := *p
	assert.Equal(t, long, cp.ReadText())
}

func TestTextStoreConcurrent(t *testing.T) {
	t.Parallel()
	ts, err := New(t.TempDir())
	require.NoError(t, err)
	defer ts.Close()
	pages := make([]*site.Page, 200)
	for i := range pages {
		pages[i] = &site.Page{Text: fmt.Sprintf("第%d页", i) + strings.Repeat("正文", 100+i)}
	}
	want := make([]string, len(pages))
	for i, p := range pages {
		want[i] = p.Text
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < len(pages); i += 4 {
				ts.Spill(pages[i])
				assert.Equal(t, want[i], pages[i].ReadText())
			}
		})
	}
	wg.Wait()
	for i, p := range pages {
		assert.Equal(t, want[i], p.ReadText(), "page %d", i)
	}
}

// A text that cannot be read back must not pass silently as an empty one.
func TestTextStoreReadAfterCloseIsAnError(t *testing.T) {
	t.Parallel()
	ts, err := New(t.TempDir())
	require.NoError(t, err)
	p := &site.Page{Text: strings.Repeat("x", 1000)}
	ts.Spill(p)
	require.NoError(t, ts.Close())
	assert.Equal(t, "", p.ReadText())
	assert.Error(t, ts.Err())

	after := &site.Page{Text: strings.Repeat("y", 1000)}
	ts.Spill(after)
	assert.Equal(t, strings.Repeat("y", 1000), after.ReadText(), "a closed store spills nothing")

	var nilStore *Store
	assert.NoError(t, nilStore.Err())
	assert.NoError(t, nilStore.Close())
}

// A page's fingerprint leaves the heap with its text and reads back the
// same; a page without one has none after spilling.
func TestTextStoreSpillsFingerprints(t *testing.T) {
	t.Parallel()
	ts, err := New(t.TempDir())
	require.NoError(t, err)
	defer ts.Close()
	long := strings.Repeat("关于印发某某办法的通知第一条。", 40)
	withPrint := &site.Page{Text: long, Print: textsim.New(long, textsim.Runes)}
	shortPrint := &site.Page{Text: "解读正文", Print: textsim.New("解读正文", 2)}
	plain := &site.Page{Text: long}
	want, wantShort := withPrint.Print, shortPrint.Print
	for _, p := range []*site.Page{withPrint, shortPrint, plain} {
		ts.Spill(p)
	}
	assert.Nil(t, withPrint.Print, "the print left the heap")
	assert.Equal(t, want, withPrint.Fingerprint())
	assert.Equal(t, long, withPrint.ReadText(), "the text before it is intact")
	assert.Equal(t, wantShort, shortPrint.Fingerprint())
	assert.Equal(t, "解读正文", shortPrint.ReadText())
	assert.Nil(t, plain.Fingerprint())
	require.NoError(t, ts.Err())
}

// Spilled texts are gathered and written a megabyte at a time (one write a
// page was most of the store's cost), and read back wherever they are: in
// the buffer, in the file, or in a record too big for the buffer.
func TestTextStoreBuffersWrites(t *testing.T) {
	t.Parallel()
	ts, err := New(t.TempDir())
	require.NoError(t, err)
	defer ts.Close()
	var pages []*site.Page
	var want []string
	spill := func(text string) {
		p := &site.Page{Text: text}
		pages, want = append(pages, p), append(want, text)
		ts.Spill(p)
	}
	for i := range 100 {
		spill(fmt.Sprintf("第%d页", i) + strings.Repeat("正文", 200))
	}
	st, err := ts.f.Stat()
	require.NoError(t, err)
	assert.Zero(t, st.Size(), "100 small texts are not written one by one")
	for i := range 3000 {
		spill(fmt.Sprintf("第%d页", i) + strings.Repeat("内容", 150+i%50))
	}
	spill(strings.Repeat("大", bufSize)) // bigger than the buffer
	spill("尾页" + strings.Repeat("文", 100))
	st, err = ts.f.Stat()
	require.NoError(t, err)
	assert.Greater(t, st.Size(), int64(bufSize), "full buffers are written")
	for i, p := range pages {
		require.Equal(t, want[i], p.ReadText(), "page %d", i)
	}
	require.NoError(t, ts.Err())
}

// A file that takes no more writes (a full disk) loses no text: what could
// not be written stays in memory and reads back.
func TestTextStoreKeepsWhatTheFileRefused(t *testing.T) {
	t.Parallel()
	ts, err := New(t.TempDir())
	require.NoError(t, err)
	defer ts.Close()
	first := &site.Page{Text: strings.Repeat("甲", 400)}
	ts.Spill(first)
	require.NoError(t, ts.f.Close()) // every write (and file read) fails now
	var pages []*site.Page
	for i := range 1000 {
		p := &site.Page{Text: fmt.Sprintf("%d", i) + strings.Repeat("乙", 400)}
		ts.Spill(p)
		pages = append(pages, p)
	}
	huge := &site.Page{Text: strings.Repeat("丙", bufSize)}
	ts.Spill(huge)
	assert.Equal(t, strings.Repeat("甲", 400), first.ReadText())
	for i, p := range pages {
		require.Equal(t, fmt.Sprintf("%d", i)+strings.Repeat("乙", 400), p.ReadText(), "page %d", i)
	}
	assert.Equal(t, strings.Repeat("丙", bufSize), huge.ReadText())
	assert.NoError(t, ts.Err())
}
