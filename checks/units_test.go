package checks

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGuessProfile(t *testing.T) {
	rb, err := LoadRulebook()
	require.NoError(t, err)
	for name, want := range map[string]string{
		"云岭省财政厅":         "finance-bureau",
		"滇海市财政局":         "finance-bureau",
		"滇海市人民政府":        "municipal-government",
		"滇海经济技术开发区管理委员会": "development-zone",
		"滇海高新区管委会":       "development-zone",
		"开发区财政局":         "development-zone", // guess_order: the zone's own bureau audits as a zone
		"滇海市生态环境局":       "department",
		"":               "department",
	} {
		got, _ := rb.GuessProfile(name)
		assert.Equal(t, want, got, name)
	}
}

// idRefRe is the regexp the ID scan once used, kept as digitRuns' reference:
// where it finds a lone 18-character ID, digitRuns(s, true) must too.
var idRefRe = regexp.MustCompile(`\d{17}[\dXx]|\d+`)

func TestValidIDAndMask(t *testing.T) {
	asOf := day("2026-11-20")
	assert.True(t, validID("11010519491231002X", asOf), "GB 11643 example")
	assert.False(t, validID("110105194912310021", asOf), "wrong check digit")
	assert.False(t, validID("110105202712310023", asOf), "born after the as-of date")
	assert.False(t, validID("110105194902300028", asOf), "no 2月30日")
	assert.Equal(t, "1101**********002X", mask("11010519491231002X", 4))
	assert.Equal(t, "139****5678", mask("13912345678", 3))
	assert.Equal(t, "身份证 1101**********002X 电话 139****5678 编号 123456", maskAll("身份证 11010519491231002X 电话 13912345678 编号 123456"))
	// A 19-digit card is one number: the evidence masks it as the
	// finding's subject does, never its first 18 digits as an ID.
	card := "6217000010001234566"
	assert.Equal(t, "卡号 "+mask(card, 4)+" 户名", maskAll("卡号 "+card+" 户名"))
	assert.Equal(t, "6217***********4566", maskAll(card))
	assert.Equal(t, "1101**********002X", maskAll("11010519491231002X"))
	assert.Equal(t, "no digits", maskAll("no digits"))
}

func TestLuhn(t *testing.T) {
	assert.True(t, luhn("4111111111111111"))
	assert.False(t, luhn("4111111111111112"))
	assert.True(t, luhn("79927398713"))
}

func TestSmallNumberAndDates(t *testing.T) {
	assert.Equal(t, 5, smallNumber("5"))
	assert.Equal(t, 5, smallNumber("五"))
	assert.Equal(t, 10, smallNumber("十"))
	assert.Equal(t, 12, smallNumber("十二"))
	assert.Equal(t, day("2026-03-01"), parseDateText("自2026年3月1日起施行"))
	assert.True(t, parseDateText("2026年2月30日").IsZero())
}

func TestSubitemYears(t *testing.T) {
	s := Subitem{Name: "{Y-1}年度部门决算", Patterns: []string{"{Y-1}年度?部门决算"}, Due: "09-30"}
	assert.Equal(t, "2025年度部门决算", s.Label(day("2026-11-20")))
	assert.True(t, s.Regexps(day("2026-11-20"))[0].MatchString("2025年部门决算"))
	assert.True(t, s.Applies("finance-bureau", "department", day("2026-09-30")))
	assert.False(t, s.Applies("finance-bureau", "department", day("2026-09-29")), "not due before 09-30")
	s.Levels = Levels{"zone"}
	assert.False(t, s.Applies("finance-bureau", "department", day("2026-11-20")), "a zone-only sub-item binds no department")
	assert.True(t, s.Applies("finance-bureau", "zone", day("2026-11-20")))
	s.Levels = nil
	s.InForce.From = Date{day("2027-01-01")}
	assert.False(t, s.Applies("finance-bureau", "department", day("2026-11-20")), "not in force yet")
	s.InForce = InForce{}
	s.Profiles = []string{"municipal-government"}
	assert.False(t, s.Applies("finance-bureau", "department", day("2026-11-20")))
}

// digitRuns replaced regexps in the privacy checks' hot loop; it must find
// what they found. Plain runs equal \d+; with the ID suffix, the runs that
// can be an ID (18 characters, not part of a longer token) equal those of
// the old \d{17}[\dXx]|\d+ pattern.
func TestDigitRunsMatchRegexps(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "X", "x", "a", " ", "号", "：", "\n"}
	for range 3000 {
		var b strings.Builder
		for range rng.IntN(60) {
			if rng.IntN(4) == 0 { // long digit runs, so 17/18/19-digit cases come up
				for range 15 + rng.IntN(5) {
					b.WriteString(alphabet[rng.IntN(10)])
				}
			}
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		s := b.String()
		var got [][]int
		for lo, hi := range digitRuns(s, false) {
			got = append(got, []int{lo, hi})
		}
		assert.Equal(t, digitsRe.FindAllStringIndex(s, -1), got, "%q", s)

		idLike := func(lo, hi int) bool { return hi-lo == 18 && alone(s, lo, hi) }
		var want, gotID [][]int
		for _, loc := range idRefRe.FindAllStringIndex(s, -1) {
			if idLike(loc[0], loc[1]) {
				want = append(want, loc)
			}
		}
		for lo, hi := range digitRuns(s, true) {
			if idLike(lo, hi) {
				gotID = append(gotID, []int{lo, hi})
			}
		}
		assert.Equal(t, want, gotID, "%q", s)
	}
}

func TestLastRunes(t *testing.T) {
	assert.Equal(t, "开户行账号", lastRunes("收款单位开户行账号", 5))
	assert.Equal(t, "ab卡号", lastRunes("ab卡号", 10))
	assert.Equal(t, "", lastRunes("卡号", 0))
}

// Folded YAML prose loses the spaces a line break put between Chinese
// characters and keeps those next to Latin text.
func TestUnfold(t *testing.T) {
	assert.Equal(t, "办公时间、联系电话、传真号码", unfold("办公时间、 联系电话、传真号码"))
	assert.Equal(t, "包括总体情况、主动公开", unfold("包括总体情况、 主动公开"))
	assert.Equal(t, "说明； PPP栏目 (see policy.yaml) 可调整", unfold("说明； PPP栏目 (see policy.yaml) 可调整"))
	assert.Equal(t, "", unfold(""))
}

// The level is read from the end of the agency's name: the most local
// administrative unit decides, zone words win anywhere, and the
// municipalities are provinces.
func TestGuessLevel(t *testing.T) {
	rb, err := LoadRulebook()
	require.NoError(t, err)
	cases := map[string]string{
		"云岭省人民政府":           "province",
		"内蒙古自治区人民政府":        "province",
		"北京市人民政府":           "province",
		"滇海市人民政府":           "prefecture",
		"红河哈尼族彝族自治州人民政府":    "prefecture",
		"云岭省滇海市澄江县人民政府门户网站": "county",
		"滇海市五华区人民政府":        "county",
		"澄江县右所镇人民政府":        "township",
		"云岭省财政厅":            "department",
		"滇海市人民政府办公室":        "department",
		"滇海经济技术开发区管理委员会":    "zone",
		"滇海市高新技术产业园区":       "zone",
		"Example":           "",
	}
	for name, want := range cases {
		got, word := rb.GuessLevel(name)
		assert.Equal(t, want, got, name)
		if want != "" {
			assert.NotEmpty(t, word, name)
		}
	}
}

// A rule applies only while in force; where an earlier rule held, the
// check runs with the earlier citation.
func TestCheckTextEffective(t *testing.T) {
	rb, err := LoadRulebook()
	require.NoError(t, err)
	sc := rb.Checks["regulation.stale-citation"]
	_, ok := sc.Effective(day("2018-07-28"))
	assert.False(t, ok, "the 2019 条例 was not in force in July 2018")
	_, ok = sc.Effective(day("2019-05-15"))
	assert.True(t, ok)

	ar := rb.Checks["annual-report.missing"]
	old, ok := ar.Effective(day("2018-07-28"))
	require.True(t, ok, "the 2007 条例 required the report")
	assert.Contains(t, old.Citations[0].Document, "第492号")
	cur, _ := ar.Effective(day("2026-11-20"))
	assert.Contains(t, cur.Citations[0].Document, "第711号")
	_, ok = rb.Checks["columns.stale"].Effective(day("2014-12-31"))
	assert.False(t, ok, "no column-update rule before the 2015 普查")
}

// Deadlines of the annual report: by level under the 2019 条例, 3月31日 for
// all under the 2007 one (the rule in force on the deadline decides).
func TestAnnualReportDeadlines(t *testing.T) {
	rb, err := LoadRulebook()
	require.NoError(t, err)
	ar := annualReportRules.Of(rb)
	for _, c := range []struct {
		year  int
		level string
		want  string
		doc   string
	}{
		{2026, "county", "2026-03-31", "第711号"},
		{2026, "department", "2026-01-31", "第711号"},
		{2026, "zone", "2026-01-31", "第711号"},
		{2026, "province", "2026-03-31", "第711号"},
		{2019, "department", "2019-03-31", "第492号"},
		{2020, "department", "2020-01-31", "第711号"},
	} {
		d, cite, ok := ar.deadline(c.year, c.level)
		require.True(t, ok, c)
		assert.Equal(t, c.want, d.Format(time.DateOnly), c)
		assert.Contains(t, cite.Document, c.doc, c)
	}
	assert.Equal(t, "2021", ar.format(2021).ID)
	assert.Equal(t, "2019", ar.format(2020).ID)
	assert.Equal(t, "2008", ar.format(2018).ID)
	assert.Nil(t, ar.format(2006))
}

// Columns bind levels and dates: 政府公报 only provinces and 设区的市;
// 法定主动公开内容 only from 61号.
func TestColumnIn(t *testing.T) {
	rb, err := LoadRulebook()
	require.NoError(t, err)
	g := rb.Column("gazette")
	_, _, ok := g.In(day("2026-11-20"), "county")
	assert.False(t, ok)
	_, _, ok = g.In(day("2026-11-20"), "prefecture")
	assert.True(t, ok)
	st := rb.Column("xxgk.statutory")
	_, _, ok = st.In(day("2018-07-28"), "county")
	assert.False(t, ok)
	_, _, ok = st.In(day("2019-11-29"), "county")
	assert.True(t, ok)
	c, _, ok := rb.Column("xxgk.guide").In(day("2018-07-28"), "county")
	require.True(t, ok)
	assert.Contains(t, c.Document, "第492号")
}

// Every rule carries its legal life next to its citation: each check (or,
// for the column checks, each column), each stale-citation pattern, each
// annual-report deadline and format.
func TestEveryRuleHasLegalLife(t *testing.T) {
	rb, err := LoadRulebook()
	require.NoError(t, err)
	for id, c := range rb.Checks {
		if c.CitationsFrom == "column" {
			continue
		}
		assert.False(t, c.InForce.From.IsZero(), "check %s has no in_force.from", id)
	}
	for _, c := range rb.Columns {
		assert.False(t, c.InForce.From.IsZero(), "column %s has no in_force.from", c.ID)
		for _, e := range c.Earlier {
			assert.False(t, e.InForce.Until.IsZero(), "column %s: an earlier rule ends", c.ID)
			assert.True(t, e.InForce.Until.Before(c.InForce.From.Time), "column %s: earlier rules end before the current one", c.ID)
		}
	}
	for _, sp := range regulationRules.Of(rb).StaleCitation.Patterns {
		assert.False(t, sp.InForce.From.IsZero(), "pattern %s", sp.ID)
	}
	for _, d := range annualReportRules.Of(rb).Deadlines {
		assert.False(t, d.InForce.From.IsZero(), "deadline %s", d.Date)
	}
}
