// Package site holds the site model: what govlint knows about an agency's
// website after a crawl, with no I/O. Checks read only this model.
//
// The model is built from a snapshot (internal/snapshot) by internal/extract,
// so an audit and a later offline `govlint check` see the same Site.
package site

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Outcome is how one fetch ended. Only OutcomeDead counts as a broken link:
// a WAF challenge (blocked), a timeout or a 5xx says nothing certain about
// whether the page exists.
type Outcome string

const (
	OutcomeOK             Outcome = "ok"
	OutcomeDead           Outcome = "dead"    // 404/410, DNS failure
	OutcomeError          Outcome = "error"   // 5xx, connection refused/reset
	OutcomeBlocked        Outcome = "blocked" // WAF / anti-bot answer
	OutcomeTimeout        Outcome = "timeout"
	OutcomeRobotsExcluded Outcome = "robots-excluded"
	OutcomeTruncated      Outcome = "truncated" // body cut at the size limit
	OutcomeRedirect       Outcome = "redirect"  // a 3xx hop; see Page.RedirectTo
	OutcomeNotFetched     Outcome = "not-fetched"
)

// PageKind is what a page is for.
type PageKind string

const (
	KindHome           PageKind = "home"
	KindColumn         PageKind = "column"         // a list page of a column
	KindArticle        PageKind = "article"        // an ordinary article
	KindPolicy         PageKind = "policy"         // a policy file (规范性文件/政策文件) with metadata
	KindInterpretation PageKind = "interpretation" // a 解读 / 图解 of a policy file
	KindAttachment     PageKind = "attachment"     // PDF, DOC, XLS …
	KindOther          PageKind = "other"
)

// Link is one <a href> on a page.
type Link struct {
	URL      string `json:"url"`  // absolute, fragment removed
	Text     string `json:"text"` // anchor text, whitespace collapsed
	Internal bool   `json:"internal"`
	// Area says where on the page the link sits: "nav", "breadcrumb",
	// "footer", "list", "body". Extraction sets it on a best-effort basis.
	Area Area `json:"area,omitempty"`
}

// Area is where on a page a link sits. It is a small number rather than
// a string: a large site's model holds hundreds of thousands of links, and
// the collector scans every pointer in them on each cycle. It reads and
// writes as its name ("nav" …) in JSON and YAML.
type Area uint8

const (
	AreaNone Area = iota
	AreaNav
	AreaBreadcrumb
	AreaFooter
	AreaList
	AreaBody
)

var areaNames = [...]string{AreaNone: "", AreaNav: "nav", AreaBreadcrumb: "breadcrumb", AreaFooter: "footer", AreaList: "list", AreaBody: "body"}

func (a Area) String() string {
	if int(a) < len(areaNames) {
		return areaNames[a]
	}
	return "area(" + strconv.Itoa(int(a)) + ")"
}

// MarshalText writes the area's name.
func (a Area) MarshalText() ([]byte, error) {
	if int(a) >= len(areaNames) {
		return nil, fmt.Errorf("unknown link area %d", a)
	}
	return []byte(areaNames[a]), nil
}

// UnmarshalText reads an area's name.
func (a *Area) UnmarshalText(b []byte) error {
	for i, n := range areaNames {
		if n == string(b) {
			*a = Area(i)
			return nil
		}
	}
	return fmt.Errorf("unknown link area %q", b)
}

// Item is one entry in a column list.
type Item struct {
	Title    string    `json:"title"`
	URL      string    `json:"url"`
	Date     time.Time `json:"date"` // zero when the list shows no date
	DateText string    `json:"date_text,omitempty"`
}

// Identity holds the site identifiers found in a page's static HTML.
type Identity struct {
	SiteCode     string `json:"site_code,omitempty"`      // 网站标识码
	ICP          string `json:"icp,omitempty"`            // ICP备案号
	PSB          string `json:"psb,omitempty"`            // 公网安备 number
	MetaSiteCode string `json:"meta_site_code,omitempty"` // <meta name="SiteIDCode">
	// FooterScript: a <script> looks like it writes the footer (an
	// external footer/bottom script, or inline text naming an identifier),
	// so identifiers missing from the static HTML may be shown in a browser.
	FooterScript bool `json:"footer_script,omitempty"`
}

// Document is the metadata of a policy file, read from the label/value table
// on its page (索引号, 发布机构, 成文日期, 发布日期, 文号, 有效性).
type Document struct {
	Title       string            `json:"title"`
	IndexNo     string            `json:"index_no,omitempty"`  // 索引号
	Publisher   string            `json:"publisher,omitempty"` // 发布机构 / 发文机关
	WrittenDate time.Time         `json:"written_date"`        // 成文日期
	PubDate     time.Time         `json:"pub_date"`            // 发布日期
	DocNo       string            `json:"doc_no,omitempty"`    // 文号 / 发文字号
	Validity    string            `json:"validity,omitempty"`  // 有效性 / 时效
	Fields      map[string]string `json:"fields,omitempty"`    // every label → value as found
}

// Page is one fetched URL and what was extracted from it.
type Page struct {
	URL         string    `json:"url"`
	FinalURL    string    `json:"final_url,omitempty"` // after following redirects
	RedirectTo  string    `json:"redirect_to,omitempty"`
	Status      int       `json:"status"`
	Outcome     Outcome   `json:"outcome"`
	Reason      string    `json:"reason,omitempty"` // why this outcome, in words
	FetchedAt   time.Time `json:"fetched_at"`
	RecordID    string    `json:"record_id,omitempty"` // WARC-Record-ID of the response
	ContentType string    `json:"content_type,omitempty"`
	Bytes       int64     `json:"bytes"`

	// Charset is the encoding the body was decoded with and CharsetSource
	// says which rule decided it: "bom", "header", "meta", "utf8-valid",
	// "gb18030-fallback", "binary".
	Charset       string `json:"charset,omitempty"`
	CharsetSource string `json:"charset_source,omitempty"`

	Kind       PageKind          `json:"kind"`
	Title      string            `json:"title,omitempty"`
	Text       string            `json:"-"`              // visible text of the main content, whitespace collapsed; read it with ReadText (empty once spilled to a TextStore)
	Meta       map[string]string `json:"meta,omitempty"` // <meta name=…> values, names as written
	Links      []Link            `json:"-"`
	Breadcrumb []string          `json:"breadcrumb,omitempty"` // e.g. [首页 政府信息公开 法定主动公开内容]
	Items      []Item            `json:"items,omitempty"`      // when the page lists a column
	// EmptyMarker is the placeholder text (暂无信息 …) when a list page says it is empty.
	EmptyMarker string `json:"empty_marker,omitempty"`
	// ListPageCount is how many list pages the column's pager declares
	// (TRS createPageHTML/countPage, totalPage, "共N页"); 0 when unknown.
	// Set on list pages only; Build uses it to judge Column.Complete.
	ListPageCount int       `json:"list_page_count,omitempty"`
	PubDate       time.Time `json:"pub_date"` // article publication date when known
	Doc           *Document `json:"doc,omitempty"`
	Identity      Identity  `json:"identity"`
	// Tables are the page's content tables (not in nav or footer), each a
	// list of rows of cell texts, for checks that read 公示 lists, message
	// lists and annual-report tables.
	Tables []Table `json:"-"`

	// CMS is the CMS family whose fingerprints the page carries
	// ("trs-wcm", "hanweb-jcms", "hanweb-jpaas" …); "" when none.
	CMS string `json:"cms,omitempty"`
	// ListURLs are the list pages of the page's column that its pager
	// implies (a TRS pager script, a Hanweb dataproxy, a JPaaS API, 下一页
	// and 尾页 links), whether or not an <a> links them.
	ListURLs []string `json:"-"`
	// TextNote says how an attachment's Text was obtained, or why it
	// was not ("pdf", "xlsx", "未提取：doc 格式不支持" …).
	TextNote string `json:"text_note,omitempty"`
	// ListAPI marks the answer of a CMS list API (a Hanweb dataproxy, a
	// JPaaS or TrueCMS call): data for its column's items, not a page a
	// visitor sees, whatever Content-Type the server gave it.
	ListAPI bool `json:"list_api,omitempty"`
	// Print fingerprints Text's shingles (textsim.Runes runes) for copy
	// detection; set by extraction on pages that may be a policy file or
	// a 解读, nil elsewhere. Like Text it moves to the text store: read
	// it with Fingerprint.
	Print *Print `json:"-"`

	// HiddenLinks, Embeds and Trailing are what the raw HTML shows of 暗链
	// and 挂马 (19号 单项否决 V1): links to other hosts hidden from the
	// visitor, scripts and frames from other hosts, and markup after
	// </html> (comments and white space left out). Forms are the page's
	// forms (站内搜索).
	HiddenLinks []HiddenLink `json:"hidden_links,omitempty"`
	Embeds      []Embed      `json:"embeds,omitempty"`
	Trailing    string       `json:"trailing,omitempty"`
	Forms       []Form       `json:"forms,omitempty"`

	stored      StoredText  // where Text went; see SetStoredText
	digitRun    uint16      // the stored text's longest digit run; see TextDigitRun
	storedPrint StoredPrint // where Print went; see SetStoredPrint
}

// Table is one <table>: its rows in order, each the whitespace-collapsed
// text of its cells (th and td) in order. Merged cells appear once, where
// the HTML has them.
type Table struct {
	Rows [][]string `json:"rows"`
}

// Column is a disclosure column (栏目) of the site.
type Column struct {
	Name string   `json:"name"`
	Path []string `json:"path"` // names from the root, e.g. [政府信息公开 法定主动公开内容 财政预决算]
	URL  string   `json:"url"`
	// Items of all list pages of the column that were read, newest first.
	Items     []Item `json:"items"`
	ListPages int    `json:"list_pages"`
	// Complete is true when every list page of the column was read.
	Complete    bool      `json:"complete"`
	EmptyMarker string    `json:"empty_marker,omitempty"`
	Newest      time.Time `json:"newest"` // newest dated item; zero if none
	// CutShort says why list pages of the column were not fetched (a
	// page budget); "" when nothing was left out on purpose.
	CutShort string `json:"cut_short,omitempty"`
}

// Site is the whole model of one crawl.
type Site struct {
	StartURL string    `json:"start_url"`
	Host     string    `json:"host"`
	Pages    []*Page   `json:"pages"`
	Columns  []*Column `json:"columns"`
	// CMS is the CMS family most pages show; "" when none was recognised.
	CMS string `json:"cms,omitempty"`
	// IPv6 is the audit's IPv6 probe of the home page; nil when none was
	// made (an IPv4 start address, a site build on disk).
	IPv6 *IPv6Probe `json:"ipv6,omitempty"`
	// Texts holds the page texts that were spilled out of Pages; nil when
	// every text is in memory.
	Texts TextStore `json:"-"`

	byURL map[string]*Page
}

// Index rebuilds the URL lookup table. Call it after changing Pages.
func (s *Site) Index() {
	s.byURL = make(map[string]*Page, len(s.Pages))
	for _, p := range s.Pages {
		s.byURL[p.URL] = p
	}
	sort.SliceStable(s.Pages, func(i, j int) bool { return s.Pages[i].URL < s.Pages[j].URL })
}

// EnsureIndex builds the URL lookup table if it was not built yet, so
// that concurrent readers (the checks) never build it themselves.
func (s *Site) EnsureIndex() {
	if s.byURL == nil {
		s.Index()
	}
}

// Page returns the page fetched at url, or nil. url may be spelled in any
// way that has the same canonical form (see CanonicalURL).
func (s *Site) Page(url string) *Page {
	if s.byURL == nil {
		s.Index()
	}
	if p, ok := s.byURL[url]; ok {
		return p
	}
	return s.byURL[Canonical(url)]
}

// Resolve follows redirects from url and returns the final page, or nil when
// url was never fetched. Loops stop after 10 hops.
func (s *Site) Resolve(url string) *Page {
	p := s.Page(url)
	for hops := 0; p != nil && p.Outcome == OutcomeRedirect && p.RedirectTo != "" && hops < 10; hops++ {
		next := s.Page(p.RedirectTo)
		if next == nil {
			return p
		}
		p = next
	}
	return p
}

// Home returns the start page (after redirects), or nil.
func (s *Site) Home() *Page { return s.Resolve(s.StartURL) }

// PagesOf returns the pages of one kind, in URL order.
func (s *Site) PagesOf(kind PageKind) []*Page {
	var out []*Page
	for _, p := range s.Pages {
		if p.Kind == kind {
			out = append(out, p)
		}
	}
	return out
}

// IsHTML says whether the page was an HTML document whose text and links
// were read (robots.txt, feeds and attachments are not).
func (p *Page) IsHTML() bool {
	if p.ListAPI {
		return false
	}
	ct := strings.ToLower(p.ContentType)
	if ct == "" {
		return p.Kind != KindAttachment && (p.Title != "" || len(p.Links) > 0)
	}
	return strings.Contains(ct, "html")
}
