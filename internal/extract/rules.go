package extract

// This file holds the rule data of the package: marker words, labels and
// name patterns. Code elsewhere reads these tables and never spells its own
// marker strings, so adding a WAF vendor or a label means editing only here.

// areaRules name the page regions a link can sit in. Patterns are matched
// as substrings of each lower-cased class/id token; a token that starts
// with a CSS utility prefix (border-bottom, mb-bottom …) is layout, not a
// region.
var areaRules = struct {
	navTags, footerTags         []string
	navPatterns, footerPatterns []string
	utilityPrefixes             []string
}{
	navTags:         []string{"nav", "header"},
	footerTags:      []string{"footer"},
	navPatterns:     []string{"nav", "menu", "daohang", "header"},
	footerPatterns:  []string{"footer", "bottom", "foot"},
	utilityPrefixes: []string{"border", "margin", "padding", "fixed", "align", "sticky", "rounded", "text-", "mb-", "pb-", "mt-", "pt-", "shadow", "bg-", "bg_"},
}

// breadcrumbRules recognise the "当前位置" trail.
var breadcrumbRules = struct {
	labels       []string // text that starts a breadcrumb, longest first
	classes      []string // class/id fragments of breadcrumb containers
	skipClasses  []string // class/id fragments of tool boxes nested in a trail
	separators   []string // split marks, longest first
	homeWords    []string // first entries normalised to 首页
	dropTrailing []string // last entries that only name the page type
	backLinks    []string // "back" links that share the trail's box (黑龙江档案馆)
	linkClasses  []string // class of the links a CMS writes the trail with (TRS: CurrChnlCls)
}{
	labels: []string{
		"您现在所在的位置", "您当前所在的位置", "您当前所在位置", "您现在的位置是", "您现在的位置", "您当前的位置",
		"您所在的位置", "您当前位置", "您的位置", "当前所在位置", "当前的位置", "当前位置", "所在位置", "现在位置",
	},
	classes:      []string{"breadcrumb", "crumb", "bread", "position", "location", "dqwz", "curpos", "weizhi", "lujing"},
	skipClasses:  []string{"print", "share", "font", "zihao", "fontsize", "tool", "date", "time", "weather", "search"},
	separators:   []string{">>", "->", "»", "›", ">", "＞", "/", "→", "》"},
	homeWords:    []string{"网站首页", "主页", "返回首页", "首 页", "Home", "HOME", "首页"},
	dropTrailing: []string{"正文", "详情", "内容", "正文内容", "详细内容", "文章详情", "浏览正文", "详情页", "正文页", "内容页", "文章页", "信息详情"},
	backLinks:    []string{"返回", "返回上一页", "返回上级", "返回上页", "后退"},
	linkClasses:  []string{"currchnlcls"},
}

// shellRules tell a redirect shell from a page with a mobile switch.
var shellRules = struct {
	deviceProbes []string // scripts that redirect only phones
}{
	deviceProbes: []string{"navigator", "userAgent", "screen.width", "isMobile", "isPC", "IsPC"},
}

// docLabel maps a metadata-table label to the Document field it fills.
type docLabel struct {
	label  string
	field  string // "index", "category", "publisher", "written", "pub", "docno", "validity", "title", "" (Fields only)
	strong bool   // only policy-file tables carry it (索引号, 文号 …)
}

// docLabels are the labels of 信息公开 metadata tables (E.5).
var docLabels = []docLabel{
	{"索引号", "index", true}, {"信息索引号", "index", true}, {"信息索引", "index", true}, {"索取号", "index", true},
	{"主题分类", "category", true}, {"组配分类", "category", true}, {"信息分类", "category", true},
	{"分类", "category", true}, {"体裁分类", "category", true}, {"服务对象分类", "category", true},
	{"发布机构", "publisher", false}, {"发文机关", "publisher", false}, {"发文单位", "publisher", false},
	{"所属机构", "publisher", false}, {"发文机构", "publisher", false}, {"发布单位", "publisher", false}, {"公开主体", "publisher", false},
	{"成文日期", "written", true}, {"生成日期", "written", true}, {"成文时间", "written", true},
	{"发布日期", "pub", false}, {"公开日期", "pub", false}, {"发文日期", "pub", false},
	{"文号", "docno", true}, {"发文字号", "docno", true}, {"文件编号", "docno", true},
	{"统一编号", "docno", true}, {"发文文号", "docno", true}, {"文件字号", "docno", true},
	{"有效性", "validity", true}, {"时效", "validity", true}, {"时效性", "validity", true},
	{"效力状态", "validity", true}, {"是否有效", "validity", true}, {"效力", "validity", true},
	{"标题", "title", false}, {"名称", "title", false}, {"文件名称", "title", false},
	{"公文种类", "", true}, {"主题词", "", false}, {"信息来源", "", false},
}

// pubDateLabels label an article's publication date. Short labels count
// only when they stand alone (not the tail of 页面生成时间 and the like).
// marks are id/class names of an element holding only that date.
var pubDateLabels = struct{ long, short, marks []string }{
	long:  []string{"发布时间", "发布日期", "发稿时间", "公开日期", "发布于", "发表时间", "信息发布日期", "发文日期"},
	short: []string{"日期", "时间"},
	marks: []string{"pubtime", "pubdate", "pub_time", "pub-time", "pub_date", "pub-date", "publishtime", "publish_time", "publish-time", "publishdate", "releasetime", "fbsj", "fbrq"},
}

// contentRules pick the main-content container of an article, in order.
// strong selectors only ever wrap an article body; weak ones may wrap a list.
var contentRules = struct{ strong, weak []selector }{
	strong: []selector{
		{class: "trs_editor"}, {class: "trs_editor_view"}, {id: "zoom"}, {id: "ucap-content"},
		{class: "pages_content"}, {class: "article-content"}, {class: "article_content"},
		{id: "article-content"}, {class: "art_con"}, {id: "art_con"},
	},
	weak: []selector{{id: "content"}, {class: "content"}, {class: "article"}, {id: "article"}},
}

// listRules recognise column lists.
var listRules = struct {
	classContains []string // class/id token fragments of list containers
	classExact    []string // whole class/id tokens of list containers
	emptyMarkers  []string // placeholder text of an empty column
	headTitles    []string // header cells naming a list table's title column
	headDates     []string // header cells naming its date column
}{
	classContains: []string{"list", "liebiao", "news", "xxgk"},
	classExact:    []string{"lb", "column", "data", "result", "lm", "wzlb", "xwlb"},
	emptyMarkers: []string{
		"暂无信息", "暂无数据", "暂无内容", "暂无相关信息", "没有相关信息", "暂无记录", "暂无文章",
		"暂无相关内容", "暂无相关数据", "没有找到相关", "没有记录", "暂无公开信息", "暂无信息公开",
		"无相关信息", "没有数据", "暂无",
	},
	headTitles: []string{"名称", "标题", "文件名称", "信息名称", "文件标题", "信息标题", "公开事项名称"},
	headDates:  []string{"发布日期", "发布时间", "日期", "成文日期", "公开日期", "生成日期", "时间"},
}

// kindRules decide page kinds in build.
var kindRules = struct {
	interpretationTitle []string // title words of a 解读 page
	interpretationCrumb []string // breadcrumb words of a 解读 column
	policyCrumb         []string // breadcrumb words of a policy-file column
}{
	interpretationTitle: []string{"解读", "图解"},
	interpretationCrumb: []string{"解读"},
	policyCrumb:         []string{"文件"},
}

// provinces are the one-character province abbreviations used in ICP and
// 公网安备 numbers, including the alternative ones (滇 云, 黔 贵, 陇 甘,
// 蜀 川, 秦 陕) that most of those provinces use there.
const provinces = "京津沪渝冀豫云滇辽黑湘皖鲁新苏浙赣鄂桂甘陇晋蒙陕秦吉闽贵黔粤青藏川蜀宁琼港澳台"

// footerScriptSrc are words in a script URL that loads the footer
// (/js/footer.js, /include/bottom.js, dibu.js …); footerScriptCode are
// words in inline code that writes it.
var (
	footerScriptSrc  = []string{"footer", "foot.", "bottom", "dibu", "copyright", "banquan", "wzdb"}
	footerScriptCode = []string{"网站标识码", "ICP备", "公网安备", "备案号", "class=\"footer", "id=\"footer", "dcs.conac.cn"}
)
