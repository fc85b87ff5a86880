package checks

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The dictionary flags wrong forms and never the correct text around them:
// context characters, the correct form covering the match, and overlapping
// entries (a slogan inside the full formulation) are each a way a correct
// page could be flagged by a naive substring search.
func TestWordingDictionary(t *testing.T) {
	rb, err := LoadRulebook()
	require.NoError(t, err)
	r := wordingRules.Of(rb)
	wrong := func(text string) []string {
		var out []string
		for _, h := range findWording(r, text) {
			out = append(out, h.wrong)
		}
		return out
	}
	for _, ok := range []string{
		"深入学习贯彻习近平新时代中国特色社会主义思想和党的二十大精神。",
		"在9月30日烈士纪念日缅怀革命烈士。",
		"各地依法处理激烈土地纠纷，热烈土风舞表演。",
		"做好政府信息公开法律法规宣传，依照政府信息公开规定办理。",
		"中共二十大、党的二十届三中全会、第十四届全国人民代表大会第二次会议。",
		"中国共产党第二十次全国代表大会胜利召开。",
		"全国人民代表大会常务委员会。国务院办公厅。",
	} {
		assert.Empty(t, wrong(ok), ok)
	}
	assert.Equal(t, []string{"习近平新时代中国特色社会主意思想"}, wrong("学习习近平新时代中国特色社会主意思想。"))
	assert.Equal(t, []string{"中国入民", "烈土"}, wrong("中国入民永远怀念革命烈土。"))
	assert.Equal(t, []string{"党十九大"}, wrong("学习党十九大精神"))
	assert.Equal(t, []string{"中国共产党第二十届全国代表大会"}, wrong("中国共产党第二十届全国代表大会开幕"))
	assert.Equal(t, []string{"党的二十次三中全会"}, wrong("学习党的二十次三中全会精神"))
	assert.Equal(t, []string{"政府信息公开法"}, wrong("依据政府信息公开法第十条"))

	hits := findWording(r, "前文。会议要求，全面学习中国入民的伟大精神。后文")
	require.Len(t, hits, 1)
	assert.Equal(t, "会议要求，全面学习中国入民的伟大精神。", hits[0].sentence, "evidence is the sentence")
}

// An audit of a staging address judges the domain the site declares, and
// a gov domain under any listed suffix passes.
func TestDomainHelpers(t *testing.T) {
	rb, err := LoadRulebook()
	require.NoError(t, err)
	r := domainRules.Of(rb)
	for _, h := range []string{"czt.yunling.gov.cn", "www.gov.cn", "xx.政务", "xx.xn--zfr164b", "WWW.EXAMPLE.GOV.CN."} {
		assert.True(t, r.govHost(h), h)
	}
	for _, h := range []string{"gov.cn.example.com", "www.example.com.cn", "examplegov.cn"} {
		assert.False(t, r.govHost(h), h)
	}
	for _, h := range []string{"127.0.0.1", "[::1]", "::1", "localhost"} {
		assert.True(t, addressHost(h), h)
	}
	assert.False(t, addressHost("www.example.gov.cn"))
	assert.True(t, namesColumn("政务服务", r.CoreWords))
	assert.False(t, namesColumn("人民网", r.CoreWords))
}
