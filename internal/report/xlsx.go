package report

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/govlint/govlint/checks"
)

// Sheet names of the XLSX report.
const (
	SheetFindings = "问题清单"
	SheetColumns  = "栏目"
	SheetScore    = "得分"
)

// XLSX writes a workbook for assessors: the findings, the columns found with
// their newest item date, and the score by category. Every cell is written
// as a string or number, never as a formula.
func XLSX(w io.Writer, r *Report) error {
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName("Sheet1", SheetFindings); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	for _, s := range []string{SheetColumns, SheetScore} {
		if _, err := x.NewSheet(s); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"E8ECF1"}, Pattern: 1}})
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	wrap, err := x.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}

	fh := []any{"级别", "检查项", "检查项ID", "类别", "扣分", "对象", "问题说明", "页面地址", "证据", "抓取时间", "WARC记录", "依据", "整改建议", "指纹", "忽略规则到期"}
	rows := [][]any{fh}
	for _, f := range r.Findings {
		expired := ""
		if f.IgnoreExpired != nil {
			expired = f.IgnoreExpired.Expires
		}
		rows = append(rows, []any{
			checks.Severity(f.Severity).Label(), oneLine(f.Title), f.CheckID, categoryName(r, f.Category), f.Points,
			oneLine(f.Subject), oneLine(f.Message), f.URL, oneLine(f.Evidence.Snippet), f.Evidence.FetchedAt,
			f.Evidence.WARCRecordID, oneLine(f.Citation), ruleFor(r, f).Fix, f.Fingerprint, expired,
		})
	}
	if err := writeSheet(x, SheetFindings, rows, bold); err != nil {
		return err
	}
	_ = x.SetColWidth(SheetFindings, "A", "D", 14)
	_ = x.SetColWidth(SheetFindings, "F", "F", 24)
	_ = x.SetColWidth(SheetFindings, "G", "H", 48)
	_ = x.SetColWidth(SheetFindings, "I", "M", 36)
	if len(rows) > 1 {
		_ = x.SetCellStyle(SheetFindings, "A2", fmt.Sprintf("O%d", len(rows)), wrap)
	}

	rows = [][]any{{"栏目", "位置", "条目数", "最新信息日期", "列表页数", "已读完", "地址"}}
	for _, c := range r.Columns {
		path := ""
		for i, p := range c.Path {
			if i > 0 {
				path += " › "
			}
			path += oneLine(p)
		}
		rows = append(rows, []any{oneLine(c.Name), path, c.Items, c.Newest, c.ListPages, yesNo(c.Complete), c.URL})
	}
	if err := writeSheet(x, SheetColumns, rows, bold); err != nil {
		return err
	}
	_ = x.SetColWidth(SheetColumns, "A", "B", 28)
	_ = x.SetColWidth(SheetColumns, "D", "D", 14)
	_ = x.SetColWidth(SheetColumns, "G", "G", 60)

	rows = [][]any{
		{"站点", r.Site.URL},
		{"画像", orDefault(r.Site.ProfileTitle, r.Site.Profile)},
		{"检测基准日", r.Site.AsOf},
		{"得分", r.Score.Total},
		{"满分", r.Score.Max},
		{"合格线", r.Score.PassScore},
		{"结论", verdict(r)},
		{},
		{"类别", "分值", "扣分", "得分", "问题数"},
	}
	for _, c := range r.Score.Categories {
		rows = append(rows, []any{c.Name, c.Max, c.Deducted, c.Max - c.Deducted, c.Findings})
	}
	for _, v := range r.Score.VetoReasons {
		rows = append(rows, []any{"单项否决", oneLine(v)})
	}
	if err := writeSheet(x, SheetScore, rows, -1); err != nil {
		return err
	}
	_ = x.SetCellStyle(SheetScore, "A9", "E9", bold)
	_ = x.SetColWidth(SheetScore, "A", "A", 16)
	_ = x.SetColWidth(SheetScore, "B", "B", 40)

	if _, err := x.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

// writeSheet writes rows from A1; strings go in as strings (SetCellStr), so
// a page text starting with "=" stays text.
func writeSheet(x *excelize.File, sheet string, rows [][]any, headerStyle int) error {
	for i, row := range rows {
		for j, v := range row {
			cell, err := excelize.CoordinatesToCellName(j+1, i+1)
			if err != nil {
				return fmt.Errorf("xlsx: %w", err)
			}
			switch v := v.(type) {
			case string:
				err = x.SetCellStr(sheet, cell, xlsxClip(v))
			default:
				err = x.SetCellValue(sheet, cell, v)
			}
			if err != nil {
				return fmt.Errorf("xlsx %s %s: %w", sheet, cell, err)
			}
		}
	}
	if headerStyle >= 0 && len(rows) > 0 {
		end, _ := excelize.CoordinatesToCellName(len(rows[0]), 1)
		if err := x.SetCellStyle(sheet, "A1", end, headerStyle); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
		if err := x.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	return nil
}

// xlsxClip keeps a cell under Excel's 32767-character limit.
func xlsxClip(s string) string {
	const max = 32000
	if len([]rune(s)) > max {
		return checks.Clip(s, max)
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}
