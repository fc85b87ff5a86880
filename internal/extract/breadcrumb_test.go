package extract

import (
	"testing"

	"github.com/govlint/govlint/internal/htmlread"
	"github.com/stretchr/testify/assert"
)

func crumbsOf(html string) []string {
	_, parts := findBreadcrumb(htmlread.Parse(html))
	return parts
}

func TestBreadcrumbForms(t *testing.T) {
	cases := []struct {
		name string
		html string
		want []string
	}{
		{"label, links, &gt; and a trailing 正文",
			`<div class="dqwz">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">政府信息公开</a> &gt; <a href="/xxgk/fdzdgknr/">法定主动公开内容</a> &gt; <a href="/xxgk/fdzdgknr/czyjs/">财政预决算</a> &gt; 正文</div>`,
			[]string{"首页", "政府信息公开", "法定主动公开内容", "财政预决算"}},
		{"full-width ＞ and 您现在的位置",
			`<p>您现在的位置：<a href="/">首页</a>＞<a href="/zwgk/">政务公开</a>＞<a href="/zwgk/tzgg/">通知公告</a></p>`,
			[]string{"首页", "政务公开", "通知公告"}},
		{"» and › separators, 您的位置, trailing 详情",
			`<div>您的位置: <a href="/">首页</a> » <a href="/a/">新闻中心</a> › <a href="/a/b/">工作动态</a> › 详情</div>`,
			[]string{"首页", "新闻中心", "工作动态"}},
		{"slash separators in plain text",
			`<div class="location">首页 / 政务公开 / 政策文件 / 内容</div>`,
			[]string{"首页", "政务公开", "政策文件"}},
		{">> separators, text only, 网站首页 (cfda form)",
			`<table><tr><td class="new_textblue14"><a href="../CL0001/">网站首页</a> &gt;&gt; <a href="../CL1026/">医疗器械</a> &gt;&gt; 医疗器械召回</td></tr></table>`,
			[]string{"首页", "医疗器械", "医疗器械召回"}},
		{"label in its own span, entries in li (sh-wsjkw form)",
			`<ol class="breadcrumb"><span>您现在所在的位置：</span><li><a href="/index.html">首页</a></li><li class="active">新闻中心</li><li class="active">新闻发布</li></ol>`,
			[]string{"首页", "新闻中心", "新闻发布"}},
		{"label cell then a nested table (zj Hanweb form)",
			`<div class="position"><table><tr><td><img src="x.png"></td><td>当前位置：</td><td><a href="/index.html">首页</a></td><td><table><tr><td> &gt;<a href="/col/col1/index.html">发展改革工作</a></td><td> &gt;<a href="/col/col2/index.html">投资运行</a></td></tr></table></td></tr></table></div>`,
			[]string{"首页", "发展改革工作", "投资运行"}},
		{"li entries without separators (nfra form)",
			`<div class="breadcrumb"><ul><li>当前位置：<a href="/">首页</a></li><li><a href="a.html">政务信息&nbsp;</a></li><li><a href="b.html">行政处罚&nbsp;</a></li></ul></div>`,
			[]string{"首页", "政务信息", "行政处罚"}},
		{"tool box nested in the trail is skipped (gov.cn form)",
			`<div class="BreadcrumbNav"><a href="/">首页</a>&nbsp;&gt;&nbsp;<a href="/gongbao/">国务院公报</a>&nbsp;&gt;&nbsp;<a href="/gongbao/2007/"><span>2007年第23号</span></a><div class="pages_print"><span class="font">字号：<span>默认</span><span>大</span></span><span class="split">|</span><span>打印</span></div></div>`,
			[]string{"首页", "国务院公报", "2007年第23号"}},
		{"class crumb with span separators (shanxi form)",
			`<ul class="breadcrumb"><li><a href="../../../">首页</a></li><li class="path-cur"> <span>&gt;</span> <a href="../../">要闻</a> </li><li class="path-cur"> <span>&gt;</span> 山西要闻 </li></ul>`,
			[]string{"首页", "要闻", "山西要闻"}},
		{"label without colon and a single entry",
			`<div>当前位置 <a href="/">首页</a></div>`,
			[]string{"首页"}},
		{"no breadcrumb: a plain nav menu",
			`<ul class="menu"><li><a href="/">首页</a></li><li><a href="/a">省政府</a></li><li><a href="/b">政务</a></li></ul>`,
			nil},
		{"label words inside an article sentence are not a trail",
			`<div class="TRS_Editor"><p>请核实当前位置信息后再提交。</p></div>`,
			nil},
		{"hidden trail is ignored",
			`<div class="crumb" style="display: none">当前位置：<a href="/">首页</a> &gt; <a href="/a">A</a></div>`,
			nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, crumbsOf(tc.html))
		})
	}
}

func TestBreadcrumbRealPages(t *testing.T) {
	cases := map[string][]string{
		"zj-fgw-hanweb-article.html":                {"首页", "发展改革工作", "投资管理和项目推进", "投资运行"},
		"shanxi-gov-trs-article.html":               {"首页", "要闻", "山西要闻"},
		"gov-cn-gongbao-document.html":              {"首页", "国务院公报", "2007年第23号"},
		"cmse-trs-article.html":                     {"首页", "新闻中心", "综合新闻"},
		"cmse-trs-article-large.html":               {"首页", "专题报道", "新闻发布会"},
		"nfra-xingzheng-chufa.html":                 {"首页", "政务信息", "行政处罚", "总局机关"},
		"nfra-xingzheng-chufa-merged-cells.html":    {"首页", "政务信息", "行政处罚", "监管局本级"},
		"cfda-list-gb2312-declared-utf8-bytes.html": {"首页", "医疗器械", "医疗器械召回"},
		"cfda-list-2.html":                          {"首页", "医疗器械", "医疗器械召回"},
		"sh-wsjkw-list.html":                        {"首页", "新冠肺炎疫情防控", "疫情通报"},
		"sh-wsjkw-article.html":                     {"首页", "新闻中心", "新闻发布"},
	}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			text, _, _ := htmlread.Decode(readRealPage(t, name), "text/html")
			assert.Equal(t, want, crumbsOf(text))
		})
	}
}
