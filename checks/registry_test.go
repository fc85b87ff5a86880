package checks

import (
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/site"
	"github.com/govlint/govlint/internal/textstore"
)

// TestMemoOncePerRun: checks run concurrently and share memo values; a
// value many of them ask for at once is computed once, and each gets it.
func TestMemoOncePerRun(t *testing.T) {
	t.Parallel()
	shared := &memoTable{}
	var calls atomic.Int32
	var wg sync.WaitGroup
	got := make([]any, 16)
	for i := range got {
		wg.Go(func() {
			p := &Pass{shared: shared}
			got[i] = p.memo("index", func() any {
				calls.Add(1)
				time.Sleep(10 * time.Millisecond) // the others arrive meanwhile
				return "built"
			})
		})
	}
	wg.Wait()
	if calls.Load() != 1 {
		t.Fatalf("memo value built %d times, want once", calls.Load())
	}
	for i, v := range got {
		if v != "built" {
			t.Fatalf("pass %d got %v", i, v)
		}
	}
}

// TestPageTextJoinsTables: the privacy checks read a page's text followed
// by each table row on its own line, cells joined by " | "; with no table
// the text itself.
func TestPageTextJoinsTables(t *testing.T) {
	t.Parallel()
	pg := &site.Page{Text: "公示名单"}
	if got := pageText(pg); got != "公示名单" {
		t.Fatalf("no tables: %q", got)
	}
	pg.Tables = []site.Table{{Rows: [][]string{{"姓名", "身份证号"}, {"张三", "110101199003071234"}}}, {Rows: [][]string{{"单格"}}}}
	want := "公示名单\n姓名 | 身份证号\n张三 | 110101199003071234\n单格"
	if got := pageText(pg); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// TestPrivacyReadsStoredTexts: an ID or card number in the running text of
// a page whose text was moved to the text store is still found. The
// privacy checks skip the texts whose longest digit run is too short to
// hold one (TextDigitRun), and the store must keep that length.
func TestPrivacyReadsStoredTexts(t *testing.T) {
	t.Parallel()
	store, err := textstore.New("")
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	b := newSite()
	filler := strings.Repeat("根据有关规定，现将本年度补助发放情况公示如下。", 20)
	id := b.nav("低保对象公示", "/gs/1.html")
	id.Text = filler + "张三，身份证号码53010219850312301X，户籍所在地某某街道。" + filler
	card := b.nav("补贴发放公示", "/gs/2.html")
	card.Text = filler + "李四，银行卡号：6217002850001234566，补贴2000元。" + filler
	none := b.nav("工作动态", "/gs/3.html")
	none.Text = filler + "电话0871-12345678。"
	for _, pg := range []*site.Page{id, card, none} {
		store.Spill(pg)
		require.Empty(t, pg.Text, "the text went to the store")
	}
	fs := run(t, b.s, "2026-11-20", "privacy.id-number", "privacy.bank-card")
	assert.ElementsMatch(t, []want{
		{"privacy.id-number", "5301**********301X", id.URL},
		{"privacy.bank-card", "6217***********4566", card.URL},
	}, got(fs))
}

// TestWordingReadsTitleAndText: a wrong form in a page's title is found,
// with the title as its evidence, and one that is in the title and the
// text is reported once; one only in the text is found there.
func TestWordingReadsTitleAndText(t *testing.T) {
	t.Parallel()
	b := newSite()
	both := b.nav("学习中国入民的精神", "/dt/1.html")
	both.Text = "会议强调，中国入民永远怀念革命烈土。"
	text := b.nav("工作动态", "/dt/2.html")
	text.Text = "前文。学习党十九大精神。后文"
	fs := run(t, b.s, "2026-11-20", "content.wording")
	var evidence []string
	for _, f := range fs {
		evidence = append(evidence, f.Subject+"@"+f.URL+"="+f.Evidence.Snippet)
	}
	assert.ElementsMatch(t, []string{
		"中国入民@" + both.URL + "=学习中国入民的精神",
		"烈土@" + both.URL + "=会议强调，中国入民永远怀念革命烈土。",
		"党十九大@" + text.URL + "=学习党十九大精神。",
	}, evidence)
}
