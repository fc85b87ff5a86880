package batch

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"path/filepath"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/govlint/govlint/internal/atomicfile"
	"github.com/govlint/govlint/internal/history"
	"github.com/govlint/govlint/internal/score"
)

// Rank orders the rows for the league table and numbers them: sites that
// passed the veto items by score (highest first), then vetoed sites by
// score, then sites that could not be scored. Equal scores share a rank
// (1, 1, 3); unscored sites get rank 0.
func Rank(rows []Row) {
	group := func(r Row) int {
		switch {
		case r.Scored() && !r.Vetoed:
			return 0
		case r.Scored():
			return 1
		}
		return 2
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if ga, gb := group(a), group(b); ga != gb {
			return ga < gb
		}
		if a.Scored() && a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.URL < b.URL
	})
	for i := range rows {
		switch {
		case !rows[i].Scored():
			rows[i].Rank = 0
		case i > 0 && rows[i-1].Scored() && rows[i-1].Vetoed == rows[i].Vetoed && rows[i-1].Score == rows[i].Score:
			rows[i].Rank = rows[i-1].Rank
		default:
			rows[i].Rank = i + 1
		}
	}
}

// Verdict is the row's conclusion in Chinese.
func (r Row) Verdict() string {
	switch r.Status {
	case history.StatusOK:
		switch {
		case r.Vetoed:
			return "不合格（单项否决）"
		case !r.Passed:
			return "不合格（低于合格分）"
		}
		return "合格"
	case history.StatusUnavailable:
		return "未评分（首页无法访问）"
	case history.StatusBlocked:
		return "未评分（访问被防火墙拦截）"
	}
	return "未评分（检查出错）"
}

// Rollup is one 主管单位's line of the roll-up.
type Rollup struct {
	Parent   string
	Sites    int
	Scored   int
	Passed   int
	Failed   int
	Unscored int
	Average  float64 // of scored sites
	Lowest   float64
}

// PassRate is the share of scored sites that passed, in percent.
func (r Rollup) PassRate() float64 {
	if r.Scored == 0 {
		return 0
	}
	return float64(r.Passed) * 100 / float64(r.Scored)
}

const noParent = "（未填写主管单位）"

// Rollups groups the rows by 主管单位, in name order.
func Rollups(rows []Row) []Rollup {
	by := map[string]*Rollup{}
	var names []string
	for _, r := range rows {
		p := r.Parent
		if p == "" {
			p = noParent
		}
		g, ok := by[p]
		if !ok {
			g = &Rollup{Parent: p}
			by[p] = g
			names = append(names, p)
		}
		g.Sites++
		if !r.Scored() {
			g.Unscored++
			continue
		}
		if g.Scored == 0 || r.Score < g.Lowest {
			g.Lowest = r.Score
		}
		g.Average = (g.Average*float64(g.Scored) + r.Score) / float64(g.Scored+1)
		g.Scored++
		if r.Passed {
			g.Passed++
		} else {
			g.Failed++
		}
	}
	sort.Strings(names)
	out := make([]Rollup, 0, len(names))
	for _, n := range names {
		out = append(out, *by[n])
	}
	return out
}

type category struct{ ID, Name string }

// categories lists the scoring categories in rubric order.
func categories(rows []Row) []category {
	var out []category
	seen := map[string]bool{}
	for _, r := range rows {
		for _, c := range r.Categories {
			if !seen[c.ID] {
				seen[c.ID] = true
				out = append(out, category{c.ID, c.Name})
			}
		}
	}
	return out
}

// categoryCell is "N项 −X分" for a row's category, "" when unscored.
func categoryCell(r Row, id string) string {
	if !r.Scored() {
		return ""
	}
	for _, c := range r.Categories {
		if c.ID == id {
			return fmt.Sprintf("%d项 −%g分", c.Findings, c.Deducted)
		}
	}
	return "0项"
}

func rankCell(r Row) string {
	if r.Rank == 0 {
		return "—"
	}
	return fmt.Sprint(r.Rank)
}

func displayName(r Row) string {
	if r.Name != "" {
		return r.Name
	}
	return r.URL
}

// WriteLeague writes league.xlsx and league.html into dir from ranked rows
// and returns their paths.
func WriteLeague(dir, asOf string, rows []Row) ([]string, error) {
	x, err := LeagueXLSX(asOf, rows)
	if err != nil {
		return nil, err
	}
	h, err := LeagueHTML(asOf, rows)
	if err != nil {
		return nil, err
	}
	xp, hp := filepath.Join(dir, "league.xlsx"), filepath.Join(dir, "league.html")
	if err := atomicfile.WriteFile(xp, x); err != nil {
		return nil, err
	}
	if err := atomicfile.WriteFile(hp, h); err != nil {
		return nil, err
	}
	return []string{xp, hp}, nil
}

// LeagueXLSX renders the league table and the roll-up as a workbook.
func LeagueXLSX(asOf string, rows []Row) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const league, roll = "排名", "按主管单位汇总"
	if err := f.SetSheetName("Sheet1", league); err != nil {
		return nil, fmt.Errorf("league xlsx: %w", err)
	}
	if _, err := f.NewSheet(roll); err != nil {
		return nil, fmt.Errorf("league xlsx: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, fmt.Errorf("league xlsx: %w", err)
	}
	cats := categories(rows)
	head := []any{"排名", "网站名称", "网址", "网站标识码", "主管单位", "得分", "结论", "单项否决原因"}
	for _, c := range cats {
		head = append(head, c.Name)
	}
	head = append(head, "问题数", "检测基准日", "报告")
	set := func(sheet string, n int, vals []any) error {
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return f.SetSheetRow(sheet, cell, &vals)
	}
	if err := set(league, 1, head); err != nil {
		return nil, fmt.Errorf("league xlsx: %w", err)
	}
	for i, r := range rows {
		var score any = ""
		if r.Scored() {
			score = r.Score
		}
		vals := []any{rankCell(r), displayName(r), r.URL, r.SiteCode, r.Parent, score, r.Verdict(), strings.Join(r.VetoReasons, "；")}
		if !r.Scored() {
			vals[7] = r.Reason
		}
		for _, c := range cats {
			vals = append(vals, categoryCell(r, c.ID))
		}
		vals = append(vals, r.Findings, asOf, r.Report)
		if err := set(league, i+2, vals); err != nil {
			return nil, fmt.Errorf("league xlsx: %w", err)
		}
	}
	rhead := []any{"主管单位", "网站数", "已评分", "合格", "不合格", "未评分", "平均分", "最低分", "合格率(%)"}
	if err := set(roll, 1, rhead); err != nil {
		return nil, fmt.Errorf("league xlsx: %w", err)
	}
	for i, g := range Rollups(rows) {
		vals := []any{g.Parent, g.Sites, g.Scored, g.Passed, g.Failed, g.Unscored, "", "", ""}
		if g.Scored > 0 {
			vals[6], vals[7], vals[8] = score.Round1(g.Average), g.Lowest, score.Round1(g.PassRate())
		}
		if err := set(roll, i+2, vals); err != nil {
			return nil, fmt.Errorf("league xlsx: %w", err)
		}
	}
	for _, sh := range []struct {
		name string
		cols int
	}{{league, len(head)}, {roll, len(rhead)}} {
		last, _ := excelize.ColumnNumberToName(sh.cols)
		_ = f.SetCellStyle(sh.name, "A1", last+"1", bold)
		_ = f.SetPanes(sh.name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
		_ = f.SetColWidth(sh.name, "B", "C", 32)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("league xlsx: %w", err)
	}
	return buf.Bytes(), nil
}

//go:embed league.html.tmpl
var leagueTmpl string

var leagueHTML = template.Must(template.New("league").Funcs(template.FuncMap{
	"rank":     rankCell,
	"name":     displayName,
	"category": categoryCell,
	"join":     func(s []string) string { return strings.Join(s, "；") },
	"round1":   score.Round1,
}).Parse(leagueTmpl))

// LeagueHTML renders the league table and the roll-up as one
// self-contained Chinese HTML page; all site text is escaped.
func LeagueHTML(asOf string, rows []Row) ([]byte, error) {
	data := struct {
		AsOf                    string
		Rows                    []Row
		Categories              []category
		Rollups                 []Rollup
		Total, Passed, Unscored int
	}{AsOf: asOf, Rows: rows, Categories: categories(rows), Rollups: Rollups(rows), Total: len(rows)}
	for _, r := range rows {
		switch {
		case !r.Scored():
			data.Unscored++
		case r.Passed:
			data.Passed++
		}
	}
	var buf bytes.Buffer
	if err := leagueHTML.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("league html: %w", err)
	}
	return buf.Bytes(), nil
}
