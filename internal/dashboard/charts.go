package dashboard

// Charts are drawn on the server as inline SVG: no script, no network,
// they print as vectors and read the same offline.

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
	"unicode/utf8"
)

const (
	colorPass  = "#2e7d32"
	colorFail  = "#c62828"
	colorLine  = "#1565c0"
	colorGrid  = "#e0e0e0"
	colorMuted = "#757575"
)

type svgBuf struct{ strings.Builder }

func (b *svgBuf) f(format string, a ...any) { fmt.Fprintf(&b.Builder, format, a...) }

func esc(s string) string { return html.EscapeString(s) }

func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// sparkline draws a site's scores over its runs; NaN marks a run that was
// not scored (a gap, drawn as a red tick on the axis).
func sparkline(vals []float64, pass float64) template.HTML {
	const w, h, pad = 96.0, 24.0, 3.0
	var b svgBuf
	var tips []string
	for _, v := range vals {
		if math.IsNaN(v) {
			tips = append(tips, "未评分")
		} else {
			tips = append(tips, fmtScore(v))
		}
	}
	b.f(`<svg class="spark" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" role="img" aria-label="得分趋势：%s"><title>得分趋势：%s</title>`,
		w, h, w, h, esc(strings.Join(tips, " → ")), esc(strings.Join(tips, " → ")))
	if len(vals) == 0 {
		b.f(`</svg>`)
		return template.HTML(b.String())
	}
	lo, hi := 100.0, 0.0
	for _, v := range vals {
		if !math.IsNaN(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	lo, hi = math.Min(lo, pass)-5, math.Max(hi, pass)+5
	x := func(i int) float64 {
		if len(vals) == 1 {
			return w / 2
		}
		return pad + float64(i)*(w-2*pad)/float64(len(vals)-1)
	}
	y := func(v float64) float64 { return h - pad - (v-lo)/(hi-lo)*(h-2*pad) }
	b.f(`<line x1="0" x2="%.0f" y1="%.1f" y2="%.1f" stroke="%s" stroke-dasharray="2 2"/>`, w, y(pass), y(pass), colorGrid)
	var pts []string
	flush := func() {
		if len(pts) > 1 {
			b.f(`<polyline fill="none" stroke="%s" stroke-width="1.5" points="%s"/>`, colorLine, strings.Join(pts, " "))
		}
		pts = pts[:0]
	}
	for i, v := range vals {
		if math.IsNaN(v) {
			flush()
			b.f(`<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="2"/>`, x(i), x(i), h-6, h, colorFail)
			continue
		}
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(v)))
	}
	flush()
	if last := vals[len(vals)-1]; !math.IsNaN(last) {
		c := colorPass
		if last < pass {
			c = colorFail
		}
		b.f(`<circle cx="%.1f" cy="%.1f" r="2.5" fill="%s"/>`, x(len(vals)-1), y(last), c)
	}
	b.f(`</svg>`)
	return template.HTML(b.String())
}

// histogram draws how many sites scored in each band of ten points.
func histogram(scores []float64, pass float64) template.HTML {
	const w, h, left, bottom, top = 540.0, 200.0, 34.0, 34.0, 26.0
	var counts [10]int
	for _, s := range scores {
		i := int(s / 10)
		i = max(0, min(i, 9))
		counts[i]++
	}
	most := 1
	for _, c := range counts {
		most = max(most, c)
	}
	var b svgBuf
	b.f(`<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="得分分布"><title>得分分布（%d 个已评分网站）</title>`, w, h, len(scores))
	plotH := h - bottom - top
	bw := (w - left - 10) / 10
	for k := 0; k <= 4; k++ {
		v := float64(most) * float64(k) / 4
		yy := h - bottom - plotH*float64(k)/4
		b.f(`<line x1="%.0f" x2="%.0f" y1="%.1f" y2="%.1f" stroke="%s"/>`, left, w-10, yy, yy, colorGrid)
		if k > 0 && (most >= 4 || v == math.Trunc(v)) {
			b.f(`<text x="%.0f" y="%.1f" class="ax" text-anchor="end">%s</text>`, left-4, yy+4, fmtScore(math.Round(v*10)/10))
		}
	}
	for i, c := range counts {
		x := left + float64(i)*bw
		bh := plotH * float64(c) / float64(most)
		col := colorPass
		if float64(i*10+10) <= pass {
			col = colorFail
		}
		label := fmt.Sprintf("%d–%d", i*10, i*10+9)
		if i == 9 {
			label = "90–100"
		}
		b.f(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" opacity="0.85"><title>%s 分：%d 个网站</title></rect>`,
			x+3, h-bottom-bh, bw-6, bh, col, label, c)
		if c > 0 {
			b.f(`<text x="%.1f" y="%.1f" text-anchor="middle" class="val">%d</text>`, x+bw/2, h-bottom-bh-4, c)
		}
		b.f(`<text x="%.1f" y="%.0f" text-anchor="middle" class="ax">%s</text>`, x+bw/2, h-bottom+15, label)
	}
	px := left + pass/10*bw
	b.f(`<line x1="%.1f" x2="%.1f" y1="%.0f" y2="%.0f" stroke="%s" stroke-dasharray="4 3"/>`, px, px, top-14, h-bottom, colorMuted)
	b.f(`<text x="%.1f" y="10" class="ax" text-anchor="middle">合格线 %s 分</text>`, px, fmtScore(pass))
	b.f(`<text x="%.0f" y="%.0f" class="ax" text-anchor="middle">得分（分）</text>`, (w+left)/2, h-3)
	b.f(`</svg>`)
	return template.HTML(b.String())
}

type barItem struct {
	Label string
	N     int
}

// hbars draws one horizontal bar per item.
func hbars(items []barItem, empty string) template.HTML {
	if len(items) == 0 {
		return template.HTML(`<p class="muted chart-empty">` + esc(empty) + `</p>`)
	}
	const w, labelW, rowH, top = 540.0, 250.0, 26.0, 6.0
	h := top + rowH*float64(len(items)) + 6
	most := 1
	for _, it := range items {
		most = max(most, it.N)
	}
	var b svgBuf
	b.f(`<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="各单项否决指标的不合格网站数"><title>各单项否决指标的不合格网站数</title>`, w, h)
	for i, it := range items {
		y := top + float64(i)*rowH
		bl := (w - labelW - 40) * float64(it.N) / float64(most)
		b.f(`<text x="%.0f" y="%.1f" text-anchor="end" class="lbl"><title>%s</title>%s</text>`, labelW-6, y+rowH/2+4, esc(it.Label), esc(shorten(it.Label, 17)))
		b.f(`<rect x="%.0f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s：%d 个网站</title></rect>`, labelW, y+4, bl, rowH-8, colorFail, esc(it.Label), it.N)
		b.f(`<text x="%.1f" y="%.1f" class="val">%d</text>`, labelW+bl+5, y+rowH/2+4, it.N)
	}
	b.f(`</svg>`)
	return template.HTML(b.String())
}

// point is one x position of a line chart.
type point struct {
	Label string  // x-axis label
	Y     float64 // NaN: no value (drawn as a red mark on the top edge)
	Tip   string
	Bad   bool // drawn red
}

// lineChart draws points left to right with a dashed reference line.
func lineChart(title string, pts []point, yMax float64, ref float64, refLabel, unit string) template.HTML {
	const w, h, left, right, top, bottom = 620.0, 210.0, 42.0, 64.0, 18.0, 36.0
	var b svgBuf
	b.f(`<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s"><title>%s</title>`, w, h, esc(title), esc(title))
	plotW, plotH := w-left-right, h-top-bottom
	x := func(i int) float64 {
		if len(pts) == 1 {
			return left + plotW/2
		}
		return left + 8 + float64(i)*(plotW-16)/float64(len(pts)-1)
	}
	y := func(v float64) float64 { return top + plotH - math.Min(v, yMax)/yMax*plotH }
	for k := 0; k <= 4; k++ {
		v := yMax * float64(k) / 4
		b.f(`<line x1="%.0f" x2="%.0f" y1="%.1f" y2="%.1f" stroke="%s"/>`, left, w-right, y(v), y(v), colorGrid)
		b.f(`<text x="%.0f" y="%.1f" class="ax" text-anchor="end">%s</text>`, left-4, y(v)+4, fmtScore(v))
	}
	b.f(`<text x="4" y="12" class="ax">%s</text>`, esc(unit))
	if ref > 0 {
		b.f(`<line x1="%.0f" x2="%.0f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="1.5" stroke-dasharray="6 4" class="ref"/>`, left, w-right, y(ref), y(ref), colorFail)
		b.f(`<text x="%.0f" y="%.1f" class="ref-label">%s</text>`, w-right+4, y(ref)+4, esc(refLabel))
	}
	var line []string
	flush := func() {
		if len(line) > 1 {
			b.f(`<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`, colorLine, strings.Join(line, " "))
		}
		line = line[:0]
	}
	every := max(1, (len(pts)+5)/6) // at most about 6 x labels
	for i, p := range pts {
		if math.IsNaN(p.Y) {
			flush()
			b.f(`<text x="%.1f" y="%.0f" text-anchor="middle" class="miss"><title>%s</title>×</text>`, x(i), top+10, esc(p.Tip))
		} else {
			line = append(line, fmt.Sprintf("%.1f,%.1f", x(i), y(p.Y)))
		}
		if i%every == 0 && len(pts)-1-i >= every || i == len(pts)-1 {
			anchor := "middle"
			switch {
			case len(pts) > 1 && i == 0:
				anchor = "start"
			case len(pts) > 1 && i == len(pts)-1:
				anchor = "end"
			}
			b.f(`<text x="%.1f" y="%.0f" text-anchor="%s" class="ax">%s</text>`, x(i), h-bottom+16, anchor, esc(p.Label))
		}
	}
	flush()
	for i, p := range pts {
		// A dot per point while they stay apart (a week of hourly probes
		// is a line); red points always.
		if math.IsNaN(p.Y) || len(pts) > 200 && !p.Bad {
			continue
		}
		c := colorLine
		if p.Bad {
			c = colorFail
		}
		b.f(`<circle cx="%.1f" cy="%.1f" r="4" fill="%s"><title>%s</title></circle>`, x(i), y(p.Y), c, esc(p.Tip))
	}
	b.f(`</svg>`)
	return template.HTML(b.String())
}
